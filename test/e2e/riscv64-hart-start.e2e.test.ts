// The riscv64 reference guest's harts under OpenSBI 1.1, whose hart_start marks a hart START_PENDING before it
// stores the hart's entry: a hart still in OpenSBI's warm boot then enters at the boot entry with the DTB in a1.
// Under CI load that made breakpoints-per-vcpu (riscv64) count 5 of 10 with `smp: hart 0: hart_start error -6`.
// `hsm-stale-entry` starts the harts that way on purpose, so the guest's handling of it runs every time.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('riscv64-hart-start');

const KERNEL = 'guests/reference/build/riscv64/reference.elf';

describe('riscv64 harts started by SBI HSM', () => {
  test('a hart sent to the boot entry by mistake runs as a started hart: every call counted by the plugin, per hart', async () => {
    let consoleText = '';
    const result = await runScenario(scenarioFrom(`
name: hsm-stale-entry
machine: { arch: riscv64, cpus: 2 }
guest: { kernel: ${KERNEL}, cmdline: 'hsm-stale-entry smp=5 smp=3 exit=0' }
timeout: 30
exit: { status: 0 }
expect:
  - console: 'smp: 2 cpus, 5 calls each'
  - console: 'smp: 2 cpus, 3 calls each'
  - breakpoint: guest_loop_target
    count: 16
  - { breakpoint: guest_loop_target, vcpu: 1, count: 8 }
  - never: 'hart_start error'
  - never: 'did not start'
`), { onOutput: (channel, chunk) => { if (channel === 'console') consoleText += chunk.toString('latin1'); } });
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status), result.finish.cause).toEqual(Array(7).fill('passed'));
    // Counted by the TCG plugin, as in the failed CI run, with no GDB stub attached.
    expect(result.command!.args).toContain('-plugin');
    expect(result.command!.args).not.toContain('-gdb');
    // The hart that came in at _start did not run the command line a second time.
    expect(consoleText.split('\n').filter((line) => line.startsWith('smp:'))).toEqual(['smp: 2 cpus, 5 calls each', 'smp: 2 cpus, 3 calls each']);
  });
});
