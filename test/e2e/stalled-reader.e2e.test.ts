// No byte lost while the runner is merely slow (issue 13, defect 1): the runner's event loop is blocked
// for seconds while the guest floods every channel and then ends at once; everything it wrote before QEMU
// ended is read before the verdicts. A UNIX socket took ~278 of QEMU's one-byte UART writes before it
// refused more (then the UART dropped bytes), and the virtconsole dropped whatever a socket refused.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

isolateRuns('stalled-reader');

/** Blocks this process (the runner with it) as a busy debugger or a loaded machine would. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

/** Stalls the runner for `ms` once the expectation at `index` is met. */
function stallAfter(index: number, ms: number): (key: unknown, verdict: { status: string }) => void {
  let stalled = false;
  return (key, verdict) => {
    if (!stalled && key === index && verdict.status === 'passed') {
      stalled = true;
      stall(ms);
    }
  };
}

// 65-byte lines: 4,700 of them per text channel, 5,000 codes; the virtio flood in 64 KiB buffers (its
// transmit queue is on PCI, so on pc, where SeaBIOS also prints on the console and the firmware port).
const LINES = 65 * 4700;
const CODES = 5000;
const VIRTIO = 65 * 16_000;
const FLOODS = `flood=${LINES} print=console-done e9flood=${LINES} e9=e9-done fwflood=${LINES} fw=fw-done codeflood=${CODES}`;

describe('a stalled reader loses nothing', () => {
  test('every channel flooded during a 4 s stall, then an immediate exit: every byte read before the verdicts', async () => {
    const result = await runScenario(scenarioFrom(`
name: stalled
guest: { kernel: reference, cmdline: 'print=start sleep=100 ${FLOODS} vprint=virtio-done exit=0' }
machine: { type: microvm }
timeout: 60
exit: { debug-exit: 0 }
expect:
  - console: start
  - code: 0x21
  - console: console-done
  - debugcon: e9-done
  - firmware: fw-done
  - virtio: virtio-done
`), { onVerdict: stallAfter(0, 4000) });
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(Array(7).fill('passed'));
    expect(result.receivedBytes).toEqual({
      console: 'start\n'.length + LINES + 'console-done\n'.length,
      debugcon: LINES + 'e9-done\n'.length,
      firmware: LINES + 'fw-done\n'.length,
      codes: CODES,
      virtio: 'virtio-done\n'.length,
    });
  });

  test('the same and a virtio flood under the debugger, a breakpoint hit 500 times after the floods', async () => {
    const result = await runScenario(scenarioFrom(`
name: stalled-debugged
guest: { kernel: reference, cmdline: 'print=start sleep=100 ${FLOODS} vflood=${VIRTIO} loop=500 exit=0' }
timeout: 60
exit: { debug-exit: 0 }
expect:
  - console: start
  - console: console-done
  - debugcon: e9-done
  - firmware: fw-done
  - code: 0x21
  - virtio: { regex: '^!' }
  - breakpoint: guest_loop_target
    count: 500
  - console: 'loop done: 500 calls'
`), { onVerdict: stallAfter(0, 4000) });
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(Array(9).fill('passed'));
    // SeaBIOS's own words come before the guest's on the console and the firmware port.
    expect(result.receivedBytes.console).toBeGreaterThanOrEqual('start\n'.length + LINES + 'console-done\n'.length + 'loop done: 500 calls\n'.length);
    expect(result.receivedBytes.debugcon).toBe(LINES + 'e9-done\n'.length);
    expect(result.receivedBytes.codes).toBe(CODES);
    expect(result.receivedBytes.virtio).toBe(VIRTIO);
  });

  // Toro's end (microvm, a virtio console on virtio-mmio): its result lines, then a triple fault. Each
  // character is one write of QEMU's (the console's emergency-write register), 40 lines of 15 bytes
  // written while the runner is stalled: past the ~278 one-byte writes a socket took.
  test('40 result lines on the virtio console during a stall, then a triple fault: all of them are judged', async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => String(i + 1).padStart(2, '0'));
    const result = await runScenario(scenarioFrom(`
name: last-words
guest: { kernel: reference, cmdline: 'print=start sleep=100 ${numbers.map((n) => `vprint="result ${n}: ok"`).join(' ')} triplefault' }
machine: { type: microvm }
timeout: 60
exit: reset
expect:
  - console: start
  - results: all
    format: own
    channel: virtio
    cases: 40
formats:
  own:
    line: '^result (?<case>\\d+): (?<result>ok|fail)$'
    passed: [ok]
    failed: [fail]
`), { onVerdict: stallAfter(0, 3000) });
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(Array(3).fill('passed'));
    expect(result.cases.map((c) => c.case)).toEqual(numbers);
    expect(result.receivedBytes.virtio).toBe(40 * 'result NN: ok\n'.length);
  });
});
