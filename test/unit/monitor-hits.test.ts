import { describe, expect, test } from 'vitest';
import { CROSS_CHANNEL_TOLERANCE_MS, ScenarioMonitor, type DebuggerHit, type VerdictKey } from '../../src/match/scenario-monitor.js';
import { monitorFor } from './support/monitor.js';
import type { Verdict } from '../../src/match/verdict.js';

const status = (m: ScenarioMonitor, keys: (number | 'exit')[]): string[] => keys.map((k) => m.verdictOf(k).status);
const reason = (verdict: Verdict): string => (verdict.status === 'failed' ? verdict.reason : `(${verdict.status})`);
const detail = (verdict: Verdict): string => (verdict.status === 'passed' ? verdict.detail : `(${verdict.status})`);
const POWEROFF = { kind: 'poweroff' } as const;
const EXITED = 'the guest ended first: power-off (QEMU status 0)';

/** A stop at `where` attributed to the given expectations. */
function hit(m: ScenarioMonitor, expectations: number[], t: number, extra: Partial<DebuggerHit> = {}): void {
  m.hit({ expectations, where: 'f', vcpu: 0, ...extra }, t);
}

describe('counts without an upper bound', () => {
  test('at least once: passes at the first hit, naming where', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f');
    hit(m, [0], 1.5, { where: 'f+0x4', vcpu: 1 });
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 1.5, detail: 'hit once, last f+0x4 on vCPU 1 at +1.5 ms' });
  });

  test('{min: 3}: pending until the third hit, then passed; later hits change nothing', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { min: 3 }');
    hit(m, [0], 1);
    hit(m, [0], 2);
    expect(m.verdictOf(0).status).toBe('pending');
    hit(m, [0], 3);
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 3, detail: 'hit 3 times, last f on vCPU 0 at +3.0 ms' });
    hit(m, [0], 4, { checkFailure: 'rdi was 0x1, expected 0x0' });
    expect(m.verdictOf(0).status).toBe('passed');
  });

  test('hits for other expectations do not count', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '  - breakpoint: g');
    hit(m, [1], 1, { where: 'g' });
    expect(status(m, [0, 1])).toEqual(['pending', 'passed']);
  });

  test('with a vcpu, only that vCPU\'s hits count; the others are on the timeline, matching nothing', () => {
    const m = monitorFor('machine: { cpus: 2 }', 'exit: poweroff', 'expect:', '  - breakpoint: f', '    vcpu: 1', '    count: 2');
    hit(m, [0], 1, { vcpu: 0 });
    hit(m, [0], 2, { vcpu: 1 });
    hit(m, [0], 3, { vcpu: 0, checkFailure: 'not checked on this vCPU' });
    hit(m, [0], 4, { vcpu: 1 });
    m.exit(POWEROFF, 5);
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 5, detail: 'hit 2 times during the run' });
    expect(m.timeline.events.filter((e) => e.kind === 'hit').map((e) => e.kind === 'hit' && [e.vcpu, e.matched])).toEqual([[0, []], [1, [0]], [0, []], [1, [0]]]);
  });

  test('text lines and codes never count as hits', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f');
    m.line('console', 'f', 1);
    m.code(0, 2);
    m.exit(POWEROFF, 3);
    expect(reason(m.verdictOf(0))).toBe(`hit 0 times, expected at least once (${EXITED})`);
  });
});

describe('exact and bounded counts', () => {
  test('exactly 3: pending while within range, passed when the guest exits', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 3');
    for (const t of [1, 2, 3]) hit(m, [0], t);
    expect(m.verdictOf(0).status).toBe('pending');
    m.exit(POWEROFF, 9);
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 9, detail: 'hit 3 times during the run' });
  });

  test('exactly 3 with two hits: failed at the end, saying how many', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 3');
    hit(m, [0], 1);
    hit(m, [0], 2);
    m.exit(POWEROFF, 9);
    expect(m.verdictOf(0)).toEqual({ status: 'failed', t: 9, reason: `hit 2 times, expected 3 times (${EXITED})` });
  });

  test('exactly 1 with no hit: "hit 0 times, expected once"', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - watch: v', '    count: 1');
    m.exit(POWEROFF, 9);
    expect(reason(m.verdictOf(0))).toBe(`hit 0 times, expected once (${EXITED})`);
  });

  test('exceeding max fails at once, naming the hit that did', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 2');
    hit(m, [0], 1);
    hit(m, [0], 2);
    hit(m, [0], 3.25, { where: 'f', vcpu: 1 });
    expect(m.verdictOf(0)).toEqual({ status: 'failed', t: 3.25, reason: 'hit 3 times, expected 2 times; hit 3 was f on vCPU 1 at +3.3 ms' });
    m.exit(POWEROFF, 9);
    expect(m.verdictOf(0)).toMatchObject({ status: 'failed', t: 3.25 });
  });

  test('{max: 2}: zero to two hits pass at the end, the third fails', () => {
    const none = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { max: 2 }');
    none.exit(POWEROFF, 9);
    expect(none.verdictOf(0)).toEqual({ status: 'passed', t: 9, detail: 'hit 0 times during the run' });
    const three = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { max: 2 }');
    for (const t of [1, 2, 3]) hit(three, [0], t);
    expect(reason(three.verdictOf(0))).toBe('hit 3 times, expected at most 2 times; hit 3 was f on vCPU 0 at +3.0 ms');
  });

  test('{min: 2, max: 4}: one hit fails at the end, two pass', () => {
    const one = monitorFor('exit: poweroff', 'expect:', '  - watch: v', '    count: { min: 2, max: 4 }');
    hit(one, [0], 1);
    one.exit(POWEROFF, 9);
    expect(reason(one.verdictOf(0))).toBe(`hit 1 time, expected 2 to 4 times (${EXITED})`);
    const two = monitorFor('exit: poweroff', 'expect:', '  - watch: v', '    count: { min: 2, max: 4 }');
    hit(two, [0], 1);
    hit(two, [0], 2);
    two.exit(POWEROFF, 9);
    expect(detail(two.verdictOf(0))).toBe('hit 2 times during the run');
  });

  test('a timeout is a clean end for counts: within range passes, the exit still fails', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 1', '  - breakpoint: g', '    count: 2');
    hit(m, [0], 1);
    hit(m, [1], 2);
    m.timeout(10_000);
    expect(m.verdictOf(0)).toMatchObject({ status: 'passed', detail: 'hit 1 time during the run' });
    expect(reason(m.verdictOf(1))).toBe('hit 1 time, expected 2 times (the scenario timeout of 10 s ran out)');
    expect(reason(m.verdictOf('exit'))).toBe('the guest did not exit within 10 s');
  });
});

describe('never hit (count 0)', () => {
  test('passes at the end when never hit', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 0');
    m.line('console', 'anything', 1);
    expect(m.verdictOf(0).status).toBe('pending');
    m.exit(POWEROFF, 9);
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 9, detail: 'hit 0 times during the run' });
  });

  test('fails at the first hit', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 0');
    hit(m, [0], 2);
    expect(m.verdictOf(0)).toEqual({ status: 'failed', t: 2, reason: 'hit 1 time, expected never hit; hit 1 was f on vCPU 0 at +2.0 ms' });
  });

  test('with no exit expected, count 0 alone does not end the run at the first unrelated event', () => {
    const m = monitorFor('expect:', '  - breakpoint: f', '    count: 0');
    m.line('firmware', 'SeaBIOS', 1);
    m.code(0x10, 2);
    expect(m.finished).toBeUndefined();
    hit(m, [0], 3);
    expect(m.verdictOf(0).status).toBe('failed');
  });

  test('with no exit expected, count 0 is decided like a never once the positives are met', () => {
    const m = monitorFor('expect:', '  - console: ready', '  - breakpoint: f', '    count: { max: 1 }');
    hit(m, [1], 1);
    expect(m.finished).toBeUndefined();
    m.line('console', 'ready', 2);
    expect(m.finished).toEqual({ reason: 'verdict-known', t: 2, cause: 'all expectations met' });
    expect(status(m, [0, 1])).toEqual(['passed', 'passed']);
  });
});

describe('register and memory checks', () => {
  test('a check failure fails at once with the hit number and where', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 3', '    registers: { rdi: 0 }');
    hit(m, [0], 1);
    hit(m, [0], 2, { where: 'f', vcpu: 2, checkFailure: 'rdi is 0x1, expected 0x0' });
    expect(m.verdictOf(0)).toEqual({ status: 'failed', t: 2, reason: 'hit 2 (f on vCPU 2 at +2.0 ms): rdi is 0x1, expected 0x0' });
    hit(m, [0], 3);
    m.exit(POWEROFF, 9);
    expect(m.verdictOf(0)).toMatchObject({ status: 'failed', t: 2 });
  });

  test('a check failure on the hit that would reach min still fails', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f');
    hit(m, [0], 1, { checkFailure: 'memory at guest_loop_counter is 0x2, expected 0x0' });
    expect(reason(m.verdictOf(0))).toBe('hit 1 (f on vCPU 0 at +1.0 ms): memory at guest_loop_counter is 0x2, expected 0x0');
  });
});

describe('how a run with counts ends', () => {
  test('no exit expected: all counts within range end the run at once, as verdict-known', () => {
    const m = monitorFor('expect:', '  - breakpoint: f', '    count: 2', '  - watch: v');
    hit(m, [0], 1);
    hit(m, [1], 2, { where: 'v' });
    expect(m.finished).toBeUndefined();
    hit(m, [0], 3);
    expect(m.finished).toEqual({ reason: 'verdict-known', t: 3, cause: 'all expectations met' });
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 3, detail: 'hit 2 times during the run' });
    expect(m.verdictOf(1).status).toBe('passed');
    hit(m, [0], 4);
    expect(m.verdictOf(0).status).toBe('passed');
  });

  test('an exit expected: counts within range wait for it', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 1');
    hit(m, [0], 1);
    expect(m.finished).toBeUndefined();
    expect(m.verdictOf(0).status).toBe('pending');
  });

  test('an error end fails the counts, within range or not', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 1', '  - breakpoint: g', '    count: 2', '  - watch: v', '    count: 0');
    hit(m, [0], 1);
    hit(m, [1], 2);
    m.error('the GDB connection closed', 3);
    expect(m.finished).toEqual({ reason: 'error', t: 3, cause: 'the GDB connection closed' });
    expect(reason(m.verdictOf(0))).toBe('not counted to the end: the GDB connection closed');
    expect(reason(m.verdictOf(1))).toBe('not counted: the GDB connection closed');
    expect(reason(m.verdictOf(2))).toBe('not counted to the end: the GDB connection closed');
  });

  test('a never pattern ends the run: counts fail as not counted', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 2', '  - never: panic');
    hit(m, [0], 1);
    m.line('console', 'Kernel panic', 2);
    expect(reason(m.verdictOf(0))).toBe('not counted: a never pattern matched (expect[1], line 8)');
  });

  test('hits after the end are ignored', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 1');
    m.exit(POWEROFF, 1);
    hit(m, [0], 2);
    expect(reason(m.verdictOf(0))).toBe(`hit 0 times, expected once (${EXITED})`);
    expect(m.timeline.events.map((e) => e.kind)).toEqual(['exit']);
  });

  test('the verdict listener hears a counted expectation once', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 1', '  - breakpoint: g');
    const heard: VerdictKey[] = [];
    m.onVerdict((key) => heard.push(key));
    hit(m, [0, 1], 1);
    hit(m, [0, 1], 2);
    hit(m, [0, 1], 3);
    m.exit(POWEROFF, 4);
    expect(heard.sort()).toEqual([0, 1, 'exit']);
  });
});

describe('after, with debugger events', () => {
  test('two breakpoints on one address: the follower counts only strictly later hits', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: first', '    breakpoint: f', '  - after: first', '    breakpoint: f', '    count: 2');
    hit(m, [0, 1], 1);
    expect(status(m, [0, 1])).toEqual(['passed', 'pending']);
    hit(m, [0, 1], 2);
    hit(m, [0, 1], 3);
    m.exit(POWEROFF, 4);
    expect(m.verdictOf(1)).toEqual({ status: 'passed', t: 4, detail: 'hit 2 times during the run' });
  });

  test('the same, with the follower seeing one hit too many', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: first', '    breakpoint: f', '  - after: first', '    breakpoint: f', '    count: 1');
    for (const t of [1, 2, 3]) hit(m, [0, 1], t);
    expect(reason(m.verdictOf(1))).toBe('hit 2 times, expected once; hit 2 was f on vCPU 0 at +3.0 ms');
  });

  test('a watch after a breakpoint: writes before the first call do not count', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: started', '    breakpoint: guest_loop_target', '  - after: started', '    watch: counter', '    count: 2');
    hit(m, [1], 1, { where: 'counter' }); // .bss zeroing
    hit(m, [0], 2, { where: 'guest_loop_target' });
    hit(m, [1], 3, { where: 'counter' });
    hit(m, [1], 4, { where: 'counter' });
    m.exit(POWEROFF, 5);
    expect(status(m, [0, 1])).toEqual(['passed', 'passed']);
  });

  test('an exact count, once reached, lets followers start', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: twice', '    breakpoint: f', '    count: 2', '  - after: twice', '    console: done');
    hit(m, [0], 1);
    m.line('console', 'done', 2);
    expect(m.verdictOf(1).status).toBe('pending');
    hit(m, [0], 30);
    expect(m.verdictOf(1).status).toBe('pending');
    m.line('console', 'done', 40);
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 40 });
    expect(m.verdictOf(0).status).toBe('pending');
  });

  test('a line arriving within the tolerance before the hit that reaches an exact count still follows it', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: once', '    breakpoint: f', '    count: 1', '  - after: once', '    console: done');
    m.line('console', 'done', 100);
    hit(m, [0], 100.3);
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 100 });
  });

  test('a hit after a console line it must follow, beyond the tolerance, counts; one long before does not', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: ready', '    console: ready', '  - after: ready', '    breakpoint: f');
    hit(m, [1], 100);
    m.line('console', 'ready', 100 + CROSS_CHANNEL_TOLERANCE_MS + 1);
    expect(m.verdictOf(1).status).toBe('pending');
    hit(m, [1], 150);
    expect(detail(m.verdictOf(1))).toBe('hit once, last f on vCPU 0 at +150.0 ms');
  });

  test('a hit arriving within the tolerance before its predecessor line is counted as a hit', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: ready', '    console: ready', '  - after: ready', '    breakpoint: f', '    count: 2');
    hit(m, [1], 100);
    m.line('console', 'ready', 100.3);
    // One hit of two: still pending, and certainly not passed by the single early hit.
    expect(m.verdictOf(1).status).toBe('pending');
    hit(m, [1], 101);
    m.exit(POWEROFF, 102);
    expect(m.verdictOf(1)).toEqual({ status: 'passed', t: 102, detail: 'hit 2 times during the run' });
  });

  test('a follower of a breakpoint is blocked when the breakpoint was never hit', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: started', '    breakpoint: f', '  - after: started', '    console: later');
    m.line('console', 'later', 1);
    m.exit(POWEROFF, 2);
    expect(reason(m.verdictOf(1))).toBe('not checked: expect[0] (which must come first) was not met');
  });
});

describe('timeline', () => {
  test('every hit is recorded with the expectations it matched; faults as their own events', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '  - watch: v');
    m.fault(0, 'guest_check_value', '-12', 'override', 1, 0.5);
    hit(m, [0], 1, { where: 'f+0x4', vcpu: 1 });
    m.hit({ expectations: [], where: 'g', vcpu: 0 }, 2);
    hit(m, [0, 1], 3);
    m.fault(0, 'guest_check_value', '3', 'skip', 2, 4);
    m.exit(POWEROFF, 5);
    m.fault(1, 'late', '0', 'skip', 3, 6);
    expect(m.timeline.events).toEqual([
      { kind: 'fault', t: 0.5, fn: 'guest_check_value', value: '-12', mode: 'override', call: 1 },
      { kind: 'hit', t: 1, where: 'f+0x4', vcpu: 1, matched: [0] },
      { kind: 'hit', t: 2, where: 'g', vcpu: 0, matched: [] },
      { kind: 'hit', t: 3, where: 'f', vcpu: 0, matched: [0, 1] },
      { kind: 'fault', t: 4, fn: 'guest_check_value', value: '3', mode: 'skip', call: 2 },
      { kind: 'exit', t: 5, meaning: POWEROFF },
    ]);
  });

  test('a fault is not an expectation: it decides nothing', () => {
    const m = monitorFor('expect:', '  - breakpoint: f');
    m.fault(0, 'f', '1', 'skip', 1, 1);
    expect(m.verdictOf(0).status).toBe('pending');
    expect(m.finished).toBeUndefined();
  });
});

describe('a count decided as failed at a hit', () => {
  test('ends a run that expects no exit once nothing else is open', () => {
    const m = monitorFor('expect:', '  - breakpoint: f', '    count: 1', '  - console: ready');
    hit(m, [0], 1);
    hit(m, [0], 2);
    expect(m.verdictOf(0).status).toBe('failed');
    expect(m.finished).toBeUndefined(); // the console line is still open
    m.line('console', 'ready', 3);
    expect(m.finished).toMatchObject({ reason: 'verdict-known', cause: 'every expectation decided' });
  });

  test('waits for the exit when one is expected', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 1');
    hit(m, [0], 1);
    hit(m, [0], 2);
    expect(m.verdictOf(0).status).toBe('failed');
    expect(m.finished).toBeUndefined();
  });
});
