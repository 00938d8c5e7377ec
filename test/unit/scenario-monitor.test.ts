import { describe, expect, test } from 'vitest';
import { CROSS_CHANNEL_TOLERANCE_MS, ScenarioMonitor, type VerdictKey } from '../../src/match/scenario-monitor.js';
import { monitorFor } from './support/monitor.js';
import { formatTimeline } from '../../src/timeline/timeline.js';
import type { Verdict } from '../../src/match/verdict.js';
import { interpretExit, type QemuEnd } from '../../src/results/exit-status.js';

/** On x86_64 a guest's own status comes from isa-debug-exit. */
const interpretX86Exit = (end: QemuEnd) => interpretExit(end, 'isa-debug-exit');

const status = (m: ScenarioMonitor, keys: (number | 'exit')[]): string[] => keys.map((k) => m.verdictOf(k).status);
const reason = (verdict: Verdict): string => (verdict.status === 'failed' ? verdict.reason : `(${verdict.status})`);
const POWEROFF = { kind: 'poweroff' } as const;

describe('matching', () => {
  test('text, regex, exact code and stage range', () => {
    const m = monitorFor('expect:', '  - console: Hello', "  - console: { regex: '^mem: \\d+ MiB$' }", '  - debugcon: early', '  - code: 0x41', '  - code: userspace');
    m.line('console', 'say Hello there', 1);
    m.line('console', 'mem: 128 MiB.', 2); // the regex is anchored: no match
    m.line('debugcon', 'mem: 64 MiB', 3); // wrong channel
    m.line('console', 'early', 4); // wrong channel
    m.code(0x40, 5);
    m.code(0x80, 6);
    expect(status(m, [0, 1, 2, 3, 4])).toEqual(['passed', 'pending', 'pending', 'pending', 'pending']);
    m.line('console', 'mem: 128 MiB', 7);
    m.line('debugcon', 'very early', 8);
    m.code(0x41, 9);
    m.code(0x7f, 10);
    expect(status(m, [0, 1, 2, 3, 4])).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(m.verdictOf(3)).toEqual({ status: 'passed', t: 9, detail: 'code 0x41 at +9.0 ms' });
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 1, detail: 'console line "say Hello there" at +1.0 ms' });
  });

  test('regex flags apply', () => {
    const m = monitorFor('expect:', "  - console: { regex: 'init done', flags: i }");
    m.line('console', 'INIT DONE in 4 ms', 1);
    expect(m.verdictOf(0).status).toBe('passed');
  });
});

describe('never', () => {
  test('fails at once, ends the run and fails the pending ones naming the never', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - console: ready', '  - never: Kernel panic', '  - console: done');
    m.line('console', 'ready', 1);
    m.line('console', 'Kernel panic - not syncing', 2);
    expect(m.verdictOf(1)).toMatchObject({ status: 'failed', t: 2 });
    expect(reason(m.verdictOf(1))).toContain('"Kernel panic" appeared on console at +2.0 ms');
    expect(m.finished).toEqual({ reason: 'never-matched', t: 2, cause: 'a never pattern matched (expect[1], line 7)' });
    expect(m.verdictOf(0).status).toBe('passed');
    expect(reason(m.verdictOf(2))).toBe('not seen: a never pattern matched (expect[1], line 7)');
    expect(reason(m.verdictOf('exit'))).toBe('not reached: a never pattern matched (expect[1], line 7)');
  });

  test('only watches its own channel, and passes when the run ends cleanly', () => {
    const m = monitorFor('expect:', "  - never: { regex: 'Oops', channel: debugcon }", '  - console: ok');
    m.line('console', 'Oops on the console is fine here', 1);
    expect(m.verdictOf(0).status).toBe('pending');
    m.line('console', 'ok', 2);
    expect(m.finished?.reason).toBe('verdict-known');
    expect(m.verdictOf(0)).toMatchObject({ status: 'passed', t: 2 });
  });

  test('a never code watches port 0x80: a byte, or any code of a stage', () => {
    const m = monitorFor('expect:', '  - never: { code: 0xff }', '  - never: { code: custom }', '  - console: ok');
    m.code(0x7f, 1);
    m.line('console', '0xff', 2); // a line is not a code
    expect(m.finished).toBeUndefined();
    m.code(0x9f, 3);
    expect(reason(m.verdictOf(1))).toBe('code custom (0x80-0xff) appeared on codes at +3.0 ms: 0x9f');
    expect(m.finished).toEqual({ reason: 'never-matched', t: 3, cause: 'a never pattern matched (expect[1], line 6)' });
    expect(reason(m.verdictOf(0))).toBe('not checked to the end: a never pattern matched (expect[1], line 6)');
    const exact = monitorFor('expect:', '  - never: { code: 0xff }');
    exact.code(0xff, 4);
    expect(reason(exact.verdictOf(0))).toBe('code 0xff appeared on codes at +4.0 ms: 0xff');
  });

  test('a run that ends in error leaves the never unchecked, i.e. failed', () => {
    const m = monitorFor('expect:', '  - never: panic');
    m.error('QEMU is not installed', 3);
    expect(reason(m.verdictOf(0))).toBe('not checked to the end: QEMU is not installed');
  });
});

describe('how a run ends', () => {
  test('all positives met and no exit expected: verdict known at once, later events ignored', () => {
    const m = monitorFor('expect:', '  - console: a', '  - code: 0x10');
    m.line('console', 'a', 1);
    expect(m.finished).toBeUndefined();
    m.code(0x10, 2);
    expect(m.finished).toEqual({ reason: 'verdict-known', t: 2, cause: 'all expectations met' });
    m.exit(POWEROFF, 3);
    m.timeout(4);
    expect(m.finished?.reason).toBe('verdict-known');
    expect(m.timeline.events.map((e) => e.kind)).toEqual(['line', 'code']);
  });

  test('with an exit expected, met expectations wait for exit()', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - console: a');
    m.line('console', 'a', 1);
    expect(m.finished).toBeUndefined();
    expect(m.verdictOf('exit').status).toBe('pending');
    m.exit(POWEROFF, 5);
    expect(m.verdictOf('exit')).toEqual({ status: 'passed', t: 5, detail: 'power-off (QEMU status 0)' });
    expect(m.finished).toMatchObject({ reason: 'guest-exit', t: 5 });
  });

  test('an exit that does not match says what was expected and what came', () => {
    const m = monitorFor('exit: poweroff');
    m.exit({ kind: 'debug-exit', value: 0, status: 1 }, 5);
    expect(reason(m.verdictOf('exit'))).toBe('expected a power-off, got debug-exit value 0 (QEMU status 1)');
    const d = monitorFor('exit: { debug-exit: 21 }');
    d.exit({ kind: 'debug-exit', value: 20, status: 41 }, 5);
    expect(reason(d.verdictOf('exit'))).toBe('expected debug-exit value 21 (QEMU status 43), got debug-exit value 20 (QEMU status 41)');
  });

  test('exit debug-exit 41 passes on status 83 whether QEMU\'s SHUTDOWN event came first or not (Unikraft\'s halt)', () => {
    for (const shutdownReason of [undefined, 'guest-shutdown']) {
      const m = monitorFor('exit: { debug-exit: 41 }');
      m.exit(interpretX86Exit({ exitCode: 83, signal: null, killedByRunner: false, qemuErrors: [], ...(shutdownReason ? { shutdownReason } : {}) }), 5);
      expect(m.verdictOf('exit')).toEqual({ status: 'passed', t: 5, detail: `debug-exit value 41 (QEMU status 83${shutdownReason ? ', after SHUTDOWN reason guest-shutdown' : ''})` });
    }
  });

  test('no exit failure names the same QEMU status on both sides without saying what else differs', () => {
    const expectations = ['poweroff', 'reset', 'any', '{ debug-exit: 41 }', '{ debug-exit: 0 }', '{ status: 83 }', '{ status: 1 }', '{ status: 0 }'];
    const ends: QemuEnd[] = [];
    for (const exitCode of [0, 1, 2, 83, 255, null]) {
      for (const shutdownReason of [undefined, 'guest-shutdown', 'guest-reset', 'host-signal', 'host-qmp-quit']) {
        for (const qemuErrors of [[], ['-kernel k: could not load kernel']]) {
          ends.push({ exitCode, signal: exitCode === null ? 'SIGSEGV' : null, killedByRunner: false, qemuErrors, ...(shutdownReason ? { shutdownReason } : {}) });
        }
      }
    }
    let failures = 0;
    for (const exit of expectations) {
      for (const end of ends) {
        const m = monitorFor('crash: allowed', `exit: ${exit}`);
        m.exit(interpretX86Exit(end), 1);
        const verdict = m.verdictOf('exit');
        if (verdict.status !== 'failed') continue;
        failures++;
        const [, expected, got] = /^expected (.*), got (.*)$/.exec(verdict.reason) ?? [];
        expect(expected, verdict.reason).toBeDefined();
        expect(got, verdict.reason).not.toBe(expected);
        const statusOf = (text: string): string | undefined => /status (\d+)/.exec(text)?.[1];
        // The same number on both sides is only fair when the got side names another mechanism (QEMU failed, say).
        if (statusOf(expected!) !== undefined && statusOf(expected!) === statusOf(got!)) expect(got, verdict.reason).not.toMatch(/^QEMU status \d+$/);
      }
    }
    expect(failures).toBeGreaterThan(100);
  });

  test('exit status N accepts debug-exit and plain statuses; status 0 accepts power-off', () => {
    const s43 = monitorFor('exit: { status: 43 }');
    s43.exit({ kind: 'debug-exit', value: 21, status: 43 }, 1);
    expect(s43.verdictOf('exit').status).toBe('passed');
    const s0 = monitorFor('exit: { status: 0 }');
    s0.exit(POWEROFF, 1);
    expect(s0.verdictOf('exit').status).toBe('passed');
  });

  test.each([
    [POWEROFF, 'passed'],
    [{ kind: 'status', status: 2 } as const, 'passed'],
    // QEMU dying of a signal is not the guest ending its run.
    [{ kind: 'signal', signal: 'SIGSEGV' } as const, 'failed'],
    [{ kind: 'qemu-error', message: 'no kernel', status: 1 } as const, 'failed'],
    [{ kind: 'killed-by-runner' } as const, 'failed'],
  ])('exit any: %j -> %s', (meaning, expected) => {
    const m = monitorFor('exit: any');
    m.exit(meaning, 1);
    expect(m.verdictOf('exit').status).toBe(expected);
  });

  test('guest exit before the expectations were met fails them with the exit as cause', () => {
    const m = monitorFor('expect:', '  - console: never printed');
    m.exit(POWEROFF, 7);
    expect(reason(m.verdictOf(0))).toBe('not seen: the guest ended first: power-off (QEMU status 0)');
  });

  test('under crash: none a reset is a crash: it fails the exit and what is pending, unless exit: reset asks for it', () => {
    const CRASHED = 'the guest crashed: guest reset (QEMU status 0 under -no-reboot), and crash is none (write exit: reset where that is how the guest ends)';
    const any = monitorFor('exit: any', 'expect:', '  - console: never printed');
    any.exit({ kind: 'reset' }, 7);
    expect(any.finished).toEqual({ reason: 'crashed', t: 7, cause: CRASHED });
    expect(reason(any.verdictOf('exit'))).toBe(CRASHED);
    expect(reason(any.verdictOf(0))).toBe(`not seen: ${CRASHED}`);
    const status0 = monitorFor('exit: { status: 0 }');
    status0.exit({ kind: 'reset' }, 7);
    expect(status0.verdictOf('exit').status).toBe('failed');
    const noExit = monitorFor('expect:', '  - console: never printed');
    noExit.exit({ kind: 'reset' }, 7);
    expect(reason(noExit.verdictOf(0))).toBe(`not seen: ${CRASHED}`);
    // Asked for, or crashes allowed: an end like any other.
    const asked = monitorFor('exit: reset');
    asked.exit({ kind: 'reset' }, 7);
    expect(asked.finished?.reason).toBe('guest-exit');
    const allowed = monitorFor('crash: allowed', 'exit: any');
    allowed.exit({ kind: 'reset' }, 7);
    expect(allowed.verdictOf('exit').status).toBe('passed');
  });

  test('timeout fails what is pending, the exit included, and passes the nevers', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - console: a', '  - never: panic');
    m.timeout(10_000);
    expect(m.finished).toMatchObject({ reason: 'timeout', t: 10_000 });
    expect(reason(m.verdictOf(0))).toBe('not seen: the scenario timeout of 10 s ran out');
    expect(reason(m.verdictOf('exit'))).toBe('the guest did not exit within 10 s');
    expect(m.verdictOf(1).status).toBe('passed');
    expect(m.timeline.events).toEqual([{ kind: 'timeout', t: 10_000, seconds: 10 }]);
  });

  test('a timeout with located vCPUs names them in the cause and puts them on the timeline', () => {
    const m = monitorFor('expect:', '  - breakpoint: f');
    m.timeout(3000, [{ vcpu: 0, where: 'act_spin+0x1' }, { vcpu: 1, where: 'smp_ap_main+0x62' }]);
    expect(m.finished?.cause).toBe('the scenario timeout of 10 s ran out with vCPU 0 at act_spin+0x1, vCPU 1 at smp_ap_main+0x62');
    expect(reason(m.verdictOf(0))).toBe('hit 0 times, expected at least once (the scenario timeout of 10 s ran out with vCPU 0 at act_spin+0x1, vCPU 1 at smp_ap_main+0x62)');
    expect(m.timeline.events).toEqual([
      { kind: 'timeout', t: 3000, seconds: 10 },
      { kind: 'halted', t: 3000, vcpu: 0, where: 'act_spin+0x1' },
      { kind: 'halted', t: 3000, vcpu: 1, where: 'smp_ap_main+0x62' },
    ]);
    expect(formatTimeline(m.timeline)).toEqual([
      '+  3000.0 ms  timeout  after 10 s',
      '+  3000.0 ms  halted   vCPU 0 at act_spin+0x1',
      '+  3000.0 ms  halted   vCPU 1 at smp_ap_main+0x62',
    ]);
  });

  test('a timeout after the run ended adds nothing', () => {
    const m = monitorFor('expect:', '  - breakpoint: f');
    m.exit({ kind: 'poweroff' }, 5);
    m.timeout(3000, [{ vcpu: 0, where: 'act_spin+0x1' }]);
    expect(m.timeline.events.map((e) => e.kind)).toEqual(['exit']);
  });

  test('error() ends the run with its message as the cause', () => {
    const m = monitorFor('exit: any', 'expect:', '  - console: a');
    m.error('the console socket closed', 2);
    expect(m.finished).toEqual({ reason: 'error', t: 2, cause: 'the console socket closed' });
    expect(reason(m.verdictOf(0))).toBe('not seen: the console socket closed');
    expect(reason(m.verdictOf('exit'))).toBe('not reached: the console socket closed');
  });

  test('the verdict listener hears each expectation exactly once', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - console: a', '  - console: a', '  - never: x', '  - code: 1');
    const heard: VerdictKey[] = [];
    m.onVerdict((key) => heard.push(key));
    m.line('console', 'a', 1);
    m.line('console', 'a', 2);
    m.code(1, 3);
    m.code(1, 4);
    m.exit(POWEROFF, 5);
    m.timeout(6);
    expect(heard.sort()).toEqual([0, 1, 2, 3, 'exit']);
  });
});

describe('ordering', () => {
  test('on one channel order is strict: two identical ordered lines need two lines', () => {
    const m = monitorFor('ordered: true', 'expect:', '  - console: ready', '  - console: ready');
    m.line('console', 'ready', 1);
    expect(status(m, [0, 1])).toEqual(['passed', 'pending']);
    m.line('console', 'ready', 1);
    expect(status(m, [0, 1])).toEqual(['passed', 'passed']);
  });

  test('a later line on the same channel before its predecessor does not count', () => {
    const m = monitorFor('ordered: true', 'expect:', '  - console: A', '  - console: B');
    m.line('console', 'B', 1);
    m.line('console', 'A', 1.1);
    expect(status(m, [0, 1])).toEqual(['passed', 'pending']);
    m.line('console', 'B', 1.2);
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 1.2 });
  });

  test('a code arriving 0.3 ms before the console line it must follow still counts', () => {
    const m = monitorFor('ordered: true', 'expect:', '  - console: A', '  - code: 0x40');
    m.code(0x40, 100);
    expect(m.verdictOf(1).status).toBe('pending');
    m.line('console', 'A', 100.3);
    expect(m.verdictOf(1)).toEqual({ status: 'passed', t: 100, detail: 'code 0x40 at +100.0 ms' });
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('a chain: console A, then code X, then code Y, both codes arriving before A', () => {
    const m = monitorFor('ordered: true', 'expect:', '  - console: A', '  - code: 0x40', '  - code: 0x41');
    m.code(0x40, 100);
    m.code(0x41, 100.1);
    m.line('console', 'A', 100.3);
    expect(status(m, [0, 1, 2])).toEqual(['passed', 'passed', 'passed']);
  });

  test('in such a chain the codes keep their own order', () => {
    const m = monitorFor('ordered: true', 'expect:', '  - console: A', '  - code: 0x40', '  - code: 0x41');
    m.code(0x41, 100);
    m.code(0x40, 100.1);
    m.line('console', 'A', 100.3);
    expect(status(m, [0, 1, 2])).toEqual(['passed', 'passed', 'pending']);
  });

  test('a code arriving more than the tolerance before does not count', () => {
    const m = monitorFor('ordered: true', 'expect:', '  - console: A', '  - code: 0x40');
    m.code(0x40, 100);
    m.line('console', 'A', 100 + CROSS_CHANNEL_TOLERANCE_MS + 0.5);
    expect(status(m, [0, 1])).toEqual(['passed', 'pending']);
    m.code(0x40, 120);
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 120 });
  });

  test('after: a follower seen first is blocked, and its reason names the one that must come first', () => {
    const m = monitorFor('expect:', '  - console: mounted', '    id: mount', '  - code: userspace', '    after: mount');
    m.code(0x60, 1);
    m.timeout(10_000);
    expect(reason(m.verdictOf(0))).toBe('not seen: the scenario timeout of 10 s ran out');
    expect(reason(m.verdictOf(1))).toBe('not checked: expect[0] (which must come first) was not met');
  });
});

describe('timeline', () => {
  test('records matched lines with their expectations and every code with its stage', () => {
    const m = monitorFor('exit: any', 'expect:', '  - console: boot', '  - console: { regex: boot }', '  - code: 0x21');
    m.line('console', 'noise', 1);
    m.line('console', 'booting', 2);
    m.line('firmware', 'boot', 2.5);
    m.code(0x05, 3);
    m.code(0x21, 4);
    expect(m.timeline.events).toEqual([
      { kind: 'line', t: 2, channel: 'console', text: 'booting', matched: [0, 1] },
      { kind: 'code', t: 3, code: 0x05, stage: 'firmware' },
      { kind: 'code', t: 4, code: 0x21, stage: 'bootloader' },
    ]);
    m.exit(POWEROFF, 5);
    expect(m.timeline.events.at(-1)).toEqual({ kind: 'exit', t: 5, meaning: POWEROFF });
  });
});
