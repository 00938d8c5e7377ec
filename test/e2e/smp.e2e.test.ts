// Breakpoints on a guest with several vCPUs: every hit counted once and attributed to the vCPU that made it.
import { describe, test, expect } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

isolateRuns('smp');

const CALLS = 25;

describe('several vCPUs', () => {
  test.each([2, 4])(`%i vCPUs each calling guest_loop_target ${CALLS} times: every hit counted on its own vCPU`, async (cpus) => {
    const result = await runScenario(scenarioFrom(`
name: smp-${cpus}
guest: { kernel: reference, cmdline: 'smp=${CALLS} exit=0' }
machine: { cpus: ${cpus} }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: ${cpus * CALLS}
  - console: 'smp: ${cpus} cpus, ${CALLS} calls each'
${Array.from({ length: cpus }, (_, vcpu) => `  - { breakpoint: guest_loop_target, vcpu: ${vcpu}, count: ${CALLS} }`).join('\n')}
`));
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status), result.finish.cause).toEqual(Array(cpus + 3).fill('passed'));
    // The session reports a stop once per expectation at its address: expect[0]'s are one per stop.
    const perVcpu = new Map<number, number>();
    for (const event of result.timeline.events) {
      if (event.kind === 'hit' && event.matched.includes(0)) perVcpu.set(event.vcpu, (perVcpu.get(event.vcpu) ?? 0) + 1);
    }
    expect(result.timeline.dropped).toBe(0);
    expect([...perVcpu.entries()].sort(([a], [b]) => a - b)).toEqual(Array.from({ length: cpus }, (_, vcpu) => [vcpu, CALLS]));
  });
});
