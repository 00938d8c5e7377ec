// Issue 13, defect 2: a guest that requests S5 and then writes isa-debug-exit (Unikraft's clean halt) makes
// QEMU emit SHUTDOWN(guest-shutdown) and then exit with the debug-exit status; which the runner reads first is
// a race, and the exit must be judged a debug exit either way.
import { describe, test, expect } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('exit-after-shutdown');

const RUNS = 6;

describe('S5 request, then debug-exit (poweroff-exit)', () => {
  // q35 showed SHUTDOWN before status 83 in 10 of 10 measured runs; pc in 32 of 40 at first, and in 0 of 6 of a
  // CI run once the runner read its channels faster: the race is asserted to happen on q35 only.
  test.each(['q35', 'pc'])(`exit: { debug-exit: 41 } passes in each of ${RUNS} runs on %s, the event first or not`, async (machine) => {
    const scenario = scenarioFrom(`
name: poweroff-exit
guest: { kernel: reference, cmdline: 'print=halting poweroff-exit=41' }
machine: { type: ${machine} }
timeout: 20
exit: { debug-exit: 41 }
expect:
  - console: halting
`);
    const shutdownFirst: boolean[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await runScenario(scenario);
      expect(result.exit).toMatchObject({ kind: 'debug-exit', value: 41, status: 83 });
      expect(result.exitVerdict, `run ${run + 1}`).toMatchObject({ status: 'passed' });
      expect(result.verdicts.map((v) => v.status)).toEqual(['passed']);
      shutdownFirst.push(result.exit?.kind === 'debug-exit' && result.exit.shutdownReason === 'guest-shutdown');
    }
    // The race this guards against really happened: some runs read the SHUTDOWN event before the exit.
    if (machine === 'q35') expect(shutdownFirst.filter(Boolean).length, `SHUTDOWN first in runs ${JSON.stringify(shutdownFirst)}`).toBeGreaterThan(0);
  });
});
