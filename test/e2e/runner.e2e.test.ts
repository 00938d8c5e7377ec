// The runner on real QEMU with the reference guest: every expectation kind, every end, nothing left behind.
import { describe, test, expect } from 'vitest';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('runner');

const statuses = (result: RunResult): string[] => result.verdicts.map((v) => v.status);

describe('runner on the reference guest', () => {
  test('console text and regex, debugcon, 0x80 codes and stages, and the exit all pass', async () => {
    const result = await runScenario(scenarioFrom(`
name: all-kinds
guest:
  kernel: reference
  cmdline: 'code=0x10 print="Hello from guest" e9="debug line 42" code=0x42 exit=5'
timeout: 10
exit: { debug-exit: 5 }
expect:
  - console: Hello from guest
  - console: { regex: '^Hello \\w+ guest$' }
  - debugcon: { regex: 'line \\d+' }
  - code: 0x42
  - code: firmware
  - never: panic
`));
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    expect(result.exitVerdict.status).toBe('passed');
    expect(result.exit).toEqual({ kind: 'debug-exit', value: 5, status: 11 });
    expect(result.finish.reason).toBe('guest-exit');
    expect(result.recentLines.console).toContain('Hello from guest');
    // Order across channels is only known to the host's read jitter; within one it is exact, and the exit is last.
    const kinds = result.timeline.events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'code')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'line')).toHaveLength(2);
    expect(kinds.at(-1)).toBe('exit');
    expect(result.timeline.events.filter((e) => e.kind === 'code').map((e) => e.kind === 'code' && e.code)).toEqual([0x10, 0x42]);
  });

  test('SeaBIOS writes its own log to port 0x402 on pc', async () => {
    const result = await runScenario(scenarioFrom(`
name: seabios
guest: { kernel: reference, cmdline: 'exit=0' }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - firmware: { regex: '^SeaBIOS \\(version' }
`));
    expect(result.verdicts[0]).toMatchObject({ status: 'passed' });
    expect(result.recentLines.firmware.length).toBeGreaterThan(3);
  });

  test('a run without an expected exit ends as soon as everything is met, although the guest hangs', async () => {
    const result = await runScenario(scenarioFrom(`
name: early
guest: { kernel: reference, cmdline: 'print=ready hang' }
timeout: 60
expect:
  - console: ready
`));
    expect(result.finish.reason).toBe('verdict-known');
    expect(statuses(result)).toEqual(['passed']);
    // Decided on the line itself, nowhere near the 60 s timeout.
    expect(result.durationMs).toBeLessThan(10_000);
  });

  test('a never pattern stops the run the moment it appears', async () => {
    const result = await runScenario(scenarioFrom(`
name: panics
guest: { kernel: reference, cmdline: 'print=start panic=boom' }
timeout: 60
expect:
  - console: start
  - never: Kernel panic
  - console: finished
`));
    expect(result.finish.reason).toBe('never-matched');
    expect(statuses(result)).toEqual(['passed', 'failed', 'failed']);
    expect(result.verdicts[1]).toMatchObject({ reason: expect.stringContaining('Kernel panic - not syncing: boom') });
    expect(result.verdicts[2]).toMatchObject({ reason: expect.stringContaining('never pattern matched (expect[1]') });
    expect(result.durationMs).toBeLessThan(10_000);
  });

  test('an unexpected exit fails what is still pending at once', async () => {
    const result = await runScenario(scenarioFrom(`
name: exits-early
guest: { kernel: reference, cmdline: 'exit=2' }
timeout: 60
expect:
  - console: never printed
`));
    expect(result.finish.reason).toBe('guest-exit');
    expect(result.verdicts[0]).toMatchObject({ status: 'failed', reason: 'not seen: the guest ended first: debug-exit value 2 (QEMU status 5)' });
  });

  test('a wrong exit value fails the exit expectation with both values', async () => {
    const result = await runScenario(scenarioFrom(`
name: wrong-exit
guest: { kernel: reference, cmdline: 'exit=3' }
timeout: 10
exit: { debug-exit: 0 }
`));
    expect(result.exitVerdict).toMatchObject({ status: 'failed', reason: 'expected debug-exit value 0 (QEMU status 1), got debug-exit value 3 (QEMU status 7)' });
  });

  test('ACPI power-off is recognised from the QMP SHUTDOWN event', async () => {
    const result = await runScenario(scenarioFrom(`
name: poweroff
guest: { kernel: reference, cmdline: 'poweroff' }
machine: { type: q35 }
timeout: 10
exit: poweroff
`));
    expect(result.exit).toEqual({ kind: 'poweroff' });
    expect(result.exitVerdict.status).toBe('passed');
  });

  test('a triple fault under -no-reboot ends the run as a reset: a crash, unless exit: reset asks for it', async () => {
    const unasked = await runScenario(scenarioFrom(`
name: triple-fault
guest: { kernel: reference, cmdline: 'triplefault' }
timeout: 10
exit: any
`));
    expect(unasked.exit).toEqual({ kind: 'reset' });
    expect(unasked.finish.reason).toBe('crashed');
    expect(unasked.exitVerdict).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^the guest crashed: guest reset \(/) });
    const asked = await runScenario(scenarioFrom(`
name: triple-fault-asked
guest: { kernel: reference, cmdline: 'triplefault' }
timeout: 10
exit: reset
`));
    expect(asked.exitVerdict.status).toBe('passed');
  });

  test('a timeout fails what was not seen and stops the hanging guest', async () => {
    const result = await runScenario(scenarioFrom(`
name: hangs
guest: { kernel: reference, cmdline: 'print=waiting hang' }
timeout: 1
exit: any
expect:
  - console: waiting
  - console: network up
`));
    expect(result.finish.reason).toBe('timeout');
    expect(statuses(result)).toEqual(['passed', 'failed']);
    expect(result.exitVerdict).toMatchObject({ status: 'failed', reason: 'the guest did not exit within 1 s' });
  });

  test.each(['pc', 'q35', 'microvm'])('the reference guest boots on %s', async (type) => {
    const result = await runScenario(scenarioFrom(`
name: ${type}
guest: { kernel: reference, cmdline: 'print=hi code=0x40 exit=0' }
machine: { type: ${type} }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - console: hi
  - code: kernel
`));
    expect([...statuses(result), result.exitVerdict.status]).toEqual(['passed', 'passed', 'passed']);
  });

  test('a guest exiting before QEMU answers `cont` is judged by its exit, not taken for a failed start', async () => {
    // On microvm the guest runs in ~3 ms; under load it often exits before the `cont` reply is read.
    const scenario = scenarioFrom(`
name: fast-exit
guest: { kernel: reference, cmdline: 'print=hi exit=0' }
machine: { type: microvm }
timeout: 10
exit: { debug-exit: 0 }
`);
    for (let i = 0; i < 25; i++) {
      const result = await runScenario(scenario);
      expect(result.exitVerdict, result.finish.cause).toMatchObject({ status: 'passed' });
    }
  });

  test('the multiboot build boots too (QEMU passes the kernel path before the command line)', async () => {
    const result = await runScenario(scenarioFrom(`
name: multiboot
guest: { kernel: guests/reference/build/x86_64/reference-multiboot.elf, cmdline: 'print="multiboot ok" exit=0' }
timeout: 10
exit: { debug-exit: 0 }
expect:
  - console: multiboot ok
`));
    expect([...statuses(result), result.exitVerdict.status]).toEqual(['passed', 'passed']);
  });

  test('ordered expectations across channels hold despite socket arrival order', async () => {
    // The guest writes the console line before the codes; the host may read the codes first.
    const scenario = scenarioFrom(`
name: ordered
guest: { kernel: reference, cmdline: 'print="starting init" code=0x60 code=0x9f exit=0' }
timeout: 10
ordered: true
exit: { debug-exit: 0 }
expect:
  - console: starting init
  - code: userspace
  - code: custom
`);
    for (let i = 0; i < 5; i++) {
      expect(statuses(await runScenario(scenario))).toEqual(['passed', 'passed', 'passed']);
    }
  });

  test('aborting a run kills QEMU and reports the abort', async () => {
    const controller = new AbortController();
    const running = runScenario(scenarioFrom(`
name: aborted
guest: { kernel: reference, cmdline: 'print=up hang' }
timeout: 60
exit: any
expect:
  - console: up
`), { signal: controller.signal, onVerdict: () => controller.abort() });
    const result = await running;
    expect(result.finish.reason).toBe('error');
    expect(result.exitVerdict).toMatchObject({ status: 'failed', reason: expect.stringContaining('aborted') });
  });
});

describe('end conditions on the reference guest', () => {
  test('a final line, a quiet time and a QMP event each end the run as what they were, and QEMU is stopped', async () => {
    const line = await runScenario(scenarioFrom(`
name: final-line
guest: { kernel: reference, cmdline: 'print="Unikraft halted" hang' }
timeout: 10
end: [ { console: Unikraft halted } ]
exit: any
`));
    expect(line.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: console line "Unikraft halted" (end: "Unikraft halted")' });
    expect(line.exitVerdict.status).toBe('passed');

    const quiet = await runScenario(scenarioFrom(`
name: quiet
guest: { kernel: reference, cmdline: 'print=done hang' }
timeout: 10
end: [ { quiet: 0.5 } ]
exit: any
expect: [ { console: done } ]
`));
    expect(quiet.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: no output for 0.5 s (end: quiet)' });
    // Measured from the resume: the guest's last line comes first, then the 0.5 s of silence.
    const lastLine = quiet.timeline.events.find((e) => e.kind === 'line')!.t;
    expect(quiet.finish.t - lastLine).toBeGreaterThanOrEqual(500);
    expect(quiet.finish.t).toBeLessThan(5000);

    const qmp = await runScenario(scenarioFrom(`
name: qmp
guest: { kernel: reference, cmdline: 'pvpanic' }
machine: { qemu: ['-device', 'pvpanic'] }
timeout: 10
end: [ { qmp: GUEST_PANICKED } ]
exit: any
`));
    expect(qmp.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: QMP event GUEST_PANICKED (end: qmp)' });
  });

  test('an end line on the debug console or the virtio console ends the run there', async () => {
    const debugcon = await runScenario(scenarioFrom(`
name: debugcon-end
guest: { kernel: reference, cmdline: 'e9="tests done" hang' }
timeout: 10
end: [ { debugcon: tests done } ]
exit: any
`));
    expect(debugcon.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: debugcon line "tests done" (end: "tests done")' });
    expect(debugcon.exitVerdict.status).toBe('passed');

    const virtio = await runScenario(scenarioFrom(`
name: virtio-end
guest: { kernel: reference, cmdline: 'vprint="System_Exit" hang' }
machine: { type: microvm }
timeout: 10
end: [ { virtio: { regex: '^System_Exit$' } } ]
exit: any
`));
    expect(virtio.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: virtio line "System_Exit" (end: /^System_Exit$/)' });
    expect(virtio.exitVerdict.status).toBe('passed');
  });

  test.each(['pc', 'q35'])('an end line on the firmware port: SeaBIOS handing over to the kernel on %s', async (type) => {
    const result = await runScenario(scenarioFrom(`
name: firmware-end
guest: { kernel: reference, cmdline: 'hang' }
machine: { type: ${type} }
timeout: 10
end: [ { firmware: { regex: '^Booting from ROM' } } ]
exit: any
expect:
  - firmware: { regex: '^SeaBIOS \\(version' }
`));
    expect(result.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: firmware line "Booting from ROM..." (end: /^Booting from ROM/)' });
    expect([result.verdicts[0]!.status, result.exitVerdict.status]).toEqual(['passed', 'passed']);
    expect(result.recentLines.firmware).toContain('Booting from ROM...');
  });

  test('an end on a port 0x80 code, exact or by stage, after the codes before it were read', async () => {
    const exact = await runScenario(scenarioFrom(`
name: code-end
guest: { kernel: reference, cmdline: 'code=0x40 code=0x41 code=0x7f hang' }
timeout: 10
end: [ { code: 0x7f } ]
exit: any
expect:
  - code: 0x41
`));
    expect(exact.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: codes code 0x7f (end: code 0x7f)' });
    expect([exact.verdicts[0]!.status, exact.exitVerdict.status]).toEqual(['passed', 'passed']);

    const stage = await runScenario(scenarioFrom(`
name: stage-end
guest: { kernel: reference, cmdline: 'code=0x10 code=0x61 code=0x62 hang' }
timeout: 10
end: [ { code: userspace } ]
exit: any
`));
    expect(stage.finish).toMatchObject({ reason: 'guest-end', cause: 'the guest ended first: codes code 0x61 (end: code userspace (0x60-0x7f))' });
  });

  test('a never on a port 0x80 code stops the run at that code', async () => {
    const result = await runScenario(scenarioFrom(`
name: never-code
guest: { kernel: reference, cmdline: 'code=0x40 code=0xee hang' }
timeout: 60
expect:
  - code: kernel
  - never: { code: custom }
  - console: never printed
`));
    expect(result.finish.reason).toBe('never-matched');
    expect(result.verdicts[1]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^code custom \(0x80-0xff\) appeared on codes at \+[\d.]+ ms: 0xee$/) });
    expect(result.durationMs).toBeLessThan(10_000);
  });
});

describe('output limit', () => {
  test('a channel flooding past output-limit ends the run at once as a flood, keeping the tail', async () => {
    const start = Date.now();
    const result = await runScenario(scenarioFrom(`
name: flood
guest: { kernel: reference, cmdline: 'flood=forever' }
timeout: 30
output-limit: 256K
expect:
  - console: never printed
`));
    expect(result.finish).toMatchObject({ reason: 'output-limit', cause: 'console printed more than 256 KiB (output-limit)' });
    expect(result.verdicts[0]).toMatchObject({ status: 'failed', reason: 'not seen: console printed more than 256 KiB (output-limit)' });
    expect(result.recentLines.console.at(-1)).toMatch(/^[\x20-\x7e]+$/);
    // At the guest's ~1.2 MB/s, 256 KiB take a fraction of a second: far from the 30 s timeout.
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  test('a limit by channel ends a flood on that channel with its tail kept, and leaves the others at the default', async () => {
    const flood = await runScenario(scenarioFrom(`
name: flood-by-channel
guest: { kernel: reference, cmdline: 'print="flood ahead" flood=forever' }
timeout: 30
output-limit: { console: 256K, virtio: 16M }
expect:
  - console: never printed
`));
    expect(flood.finish).toMatchObject({ reason: 'output-limit', cause: 'console printed more than 256 KiB (output-limit)' });
    // The last whole lines read before the limit: the guest's 64-character pattern lines. Its flood
    // writes the UART without waiting for it, so under load QEMU drops bytes, newlines included.
    const tail = flood.recentLines.console.slice(0, -1);
    expect(tail.filter((line) => !/^[!-~]+$/.test(line)), tail.join('\n')).toEqual([]);
    expect(flood.recentLines.console).toHaveLength(20);

    // 300 KB on the console are far below its default 64M; only the debug console is held to 1K.
    const other = await runScenario(scenarioFrom(`
name: limit-elsewhere
guest: { kernel: reference, cmdline: 'flood=300000 print=done exit=0' }
timeout: 30
output-limit: { debugcon: 1K }
exit: { debug-exit: 0 }
expect:
  - console: done
`));
    expect([other.verdicts[0]!.status, other.exitVerdict.status]).toEqual(['passed', 'passed']);
  });

  test('a virtio flood the guest paces (vrate) arrives whole, every byte read', async () => {
    const start = Date.now();
    const paced = await runScenario(scenarioFrom(`
name: paced-flood
guest: { kernel: reference, cmdline: 'vrate=1 vflood=1048576 print=done exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - virtio: { regex: '^!' }
  - console: done
`));
    expect([...paced.verdicts.map((v) => v.status), paced.exitVerdict.status]).toEqual(['passed', 'passed', 'passed']);
    expect(paced.receivedBytes.virtio).toBe(1048576);
    // 1 MiB at 1 MiB/s: the guest's PIT paces it, so the run cannot be much shorter than a second.
    expect(Date.now() - start).toBeGreaterThan(900);
  });

  test('port 0x80 counts a byte per code, its codes kept on the timeline', async () => {
    const codes = Array.from({ length: 400 }, () => '0x41').join(',');
    // 1,200 codes take a 6 KB command line: on pc the guest was measured to get an empty one, on microvm all of it.
    const result = await runScenario(scenarioFrom(`
name: code-flood
guest: { kernel: reference, cmdline: 'code=${codes} code=${codes} code=${codes} hang' }
machine: { type: microvm }
timeout: 30
output-limit: { codes: 1K }
expect:
  - code: 0x41
  - console: never printed
`));
    expect(result.finish).toMatchObject({ reason: 'output-limit', cause: 'codes printed more than 1 KiB (output-limit)' });
    const kept = result.timeline.events.filter((e) => e.kind === 'code').length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(1024);
  });
});
