// Port 0x80 is read only when the scenario means it (issue 13, defect 4): Linux writes 0x00 there as an
// I/O delay, which read always showed as a "firmware" boot stage the guest never meant.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('port80');

// Fourteen 0x00 writes, as one Linux boot was seen to make, among console output.
const GUEST = `guest: { kernel: reference, cmdline: 'code=${Array(14).fill('0x00').join(',')} print=booted exit=0' }`;

describe('port 0x80 only when the scenario means it', () => {
  test('a scenario with no codes or stages: no stages, no codes on the timeline, no bytes read', async () => {
    const result = await runScenario(scenarioFrom(`
name: io-delay
${GUEST}
exit: { debug-exit: 0 }
expect:
  - console: booted
`));
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed']);
    expect(result.stages).toEqual([]);
    expect(result.timeline.events.filter((e) => e.kind === 'code')).toEqual([]);
    expect(result.receivedBytes.codes).toBe(0);
  });

  test('the same guest with a code expectation: the codes and their stage are there', async () => {
    const result = await runScenario(scenarioFrom(`
name: io-delay-read
${GUEST}
exit: { debug-exit: 0 }
expect:
  - code: 0x00
  - console: booted
`));
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    expect(result.stages.map((s) => s.stage)).toEqual(['firmware']);
    expect(result.receivedBytes.codes).toBe(14);
  });
});
