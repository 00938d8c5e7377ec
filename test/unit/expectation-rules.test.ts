// Each kind's rule on its own, through the interface the monitor uses, and the registry that gives
// every kind of the model its rule.
import { describe, expect, test } from 'vitest';
import { EXPECTATION_RULES, ruleFor } from '../../src/match/expectations/registry.js';
import type { ExpectationRule, RunEnd } from '../../src/match/expectations/rule.js';
import type { DebuggerHit, ObservedEvent } from '../../src/match/observed-event.js';
import type { GuestCase } from '../../src/results/guest-case.js';
import { oneScenario } from './support/one-scenario.js';

const scenario = oneScenario('rules.yaml', ['name: t', 'guest: { kernel: k.elf }']);
/** The rule of the one expectation the YAML lines give. */
const ruleOf = (...lines: string[]): ExpectationRule => ruleFor(scenario.ok('expect:', ...lines).expectations[0]!);

let seq = 0;
const line = (text: string, t: number, source: ObservedEvent['source'] = 'console'): ObservedEvent => ({ source, text, t, seq: ++seq });
const code = (value: number, t: number): ObservedEvent => ({ source: 'codes', code: value, t, seq: ++seq });
const hit = (t: number, extra: Partial<DebuggerHit> = {}): ObservedEvent => ({ source: 'debugger', hit: { expectations: [0], where: 'f', vcpu: 0, ...extra }, t, seq: ++seq });
const guestCase = (name: string, status: GuestCase['status'], t: number): ObservedEvent => ({
  source: 'results', resultChannel: 'console', t, seq: ++seq, caseLine: `${name}: ${status}`,
  guestCase: { format: 'uktest', suite: 'suite', case: name, status, failures: [] } as unknown as GuestCase,
});
const CLEAN: RunEnd = { t: 50, cause: 'the guest ended first', clean: true };
const BROKEN: RunEnd = { t: 50, cause: 'QEMU died', clean: false };

describe('the registry', () => {
  test('gives a rule to each kind of a scenario that uses every kind, and knows no other kind', () => {
    const every = scenario.ok(
      'formats: { own: { line: "^(?<case>\\\\w+) (?<result>ok|fail)$", passed: [ok], failed: [fail] } }',
      'expect:',
      '  - console: ready',
      '  - code: 0x41',
      '  - code: kernel',
      '  - never: panic',
      '  - breakpoint: f',
      '  - watch: counter',
      "  - console: '/ # '",
      '  - send: "ls\\n"',
      '  - screen: Errors',
      '    channel: virtio',
      '  - uktest: all',
      '  - results: all',
      '    format: own',
    );
    const kinds = [...new Set(every.expectations.map((e) => e.kind))].sort();
    expect(kinds).toEqual(Object.keys(EXPECTATION_RULES).sort());
    expect(Object.fromEntries(every.expectations.map((e) => [e.kind, ruleFor(e).constructor.name]))).toEqual({
      text: 'TextLineRule', code: 'StageCodeRule', stage: 'StageCodeRule', never: 'NeverRule', breakpoint: 'DebuggerHitRule',
      watch: 'DebuggerHitRule', send: 'SendStepRule', screen: 'ScreenRowRule', results: 'GuestCasesRule',
    });
  });

  test('gives each expectation a rule of its own: counts are per run', () => {
    const e = scenario.ok('expect:', '  - breakpoint: f', '    count: 2').expectations[0]!;
    const first = ruleFor(e);
    first.observe(hit(1));
    expect(ruleFor(e).observe(hit(2))).toEqual({ kind: 'counted' });
    expect(first.observe(hit(3))).toEqual({ kind: 'met-for-now' });
  });
});

describe('a text line', () => {
  test('matches lines of its channel only, passes at the first, and keeps the line for guest clocks', () => {
    const rule = ruleOf("  - debugcon: { regex: 'ready in \\d+' }");
    expect([rule.matches(line('ready in 3', 1)), rule.matches(line('ready in 3', 1, 'debugcon')), rule.matches(code(0x41, 1))]).toEqual([false, true, false]);
    expect(rule.awaited).toBe(true);
    expect(rule.observe(line('[ 1.5] ready in 3', 2, 'debugcon'))).toEqual({ kind: 'decided', verdict: { status: 'passed', t: 2, detail: 'debugcon line "[ 1.5] ready in 3" at +2.0 ms' } });
    expect(rule.metLine).toBe('[ 1.5] ready in 3');
    expect(rule.matchedText(line('ready in 4', 3, 'debugcon'))).toBe('ready in 4');
  });

  test('unmet at the end: not seen, or not checked when what it comes after was not met', () => {
    const rule = ruleOf('  - console: ready');
    expect(rule.atEnd(CLEAN)).toEqual({ status: 'failed', t: 50, reason: 'not seen: the guest ended first' });
    expect(rule.atEnd({ ...CLEAN, unmetLeader: 3 })).toEqual({ status: 'failed', t: 50, reason: 'not checked: expect[3] (which must come first) was not met' });
  });
});

describe('a port 0x80 code or stage', () => {
  test('an exact code takes that byte; a stage any byte of its range; lines are not codes', () => {
    const exact = ruleOf('  - code: 0x41');
    const stage = ruleOf('  - code: kernel');
    expect([exact.matches(code(0x41, 1)), exact.matches(code(0x42, 1)), stage.matches(code(0x42, 1)), stage.matches(code(0x60, 1)), stage.matches(line('0x42', 1))])
      .toEqual([true, false, true, false, false]);
    expect(stage.observe(code(0x5f, 4))).toEqual({ kind: 'decided', verdict: { status: 'passed', t: 4, detail: 'code 0x5f at +4.0 ms' } });
    expect(stage.metLine).toBeUndefined();
  });
});

describe('a never', () => {
  test('is not awaited, ends the run where it appears, and passes a run seen to its end', () => {
    const rule = ruleOf('  - never: panic');
    expect(rule.awaited).toBe(false);
    expect(rule.observe(line('Kernel panic', 7))).toEqual({
      kind: 'ends-run', reason: 'never-matched', cause: 'a never pattern matched (expect[0], line 4)',
      verdict: { status: 'failed', t: 7, reason: '"panic" appeared on console at +7.0 ms: "Kernel panic"' },
    });
    expect(rule.atEnd(CLEAN)).toEqual({ status: 'passed', t: 50, detail: 'did not appear during the 50.0 ms run' });
    expect(rule.atEnd(BROKEN)).toEqual({ status: 'failed', t: 50, reason: 'not checked to the end: QEMU died' });
  });

  test('on a screen it names the row it matched', () => {
    const rule = ruleOf("  - never: { screen: 'Errors: 2' }");
    const screen: ObservedEvent = { source: 'console', rows: ['Test #3', 'Errors: 2'], t: 5, seq: ++seq };
    expect(rule.matches(screen)).toBe(true);
    expect(rule.matchedText(screen)).toBe('Errors: 2');
  });
});

describe('a debugger hit count', () => {
  test('exactly 2: counted, met for now at 2 (holding so far), failed at 3', () => {
    const rule = ruleOf('  - breakpoint: f', '    count: 2');
    expect(rule.observe(hit(1))).toEqual({ kind: 'counted' });
    expect(rule.holdsSoFar()).toBe(false);
    expect(rule.observe(hit(2))).toEqual({ kind: 'met-for-now' });
    expect(rule.holdsSoFar()).toBe(true);
    expect(rule.timingPoint(50)).toBe(2);
    expect(rule.atEnd(CLEAN)).toEqual({ status: 'passed', t: 50, detail: 'hit 2 times during the run' });
    expect(rule.atEnd(BROKEN)).toEqual({ status: 'failed', t: 50, reason: 'not counted to the end: QEMU died' });
    expect(rule.observe(hit(3))).toMatchObject({ kind: 'decided', verdict: { status: 'failed', reason: 'hit 3 times, expected 2 times; hit 3 was f on vCPU 0 at +3.0 ms' } });
  });

  test('a count that allows zero is not awaited; one short at the end says how many', () => {
    expect(ruleOf('  - breakpoint: f', '    count: { max: 2 }').awaited).toBe(false);
    const rule = ruleOf('  - watch: counter', '    count: 3');
    rule.observe(hit(1));
    expect(rule.atEnd(CLEAN)).toEqual({ status: 'failed', t: 50, reason: 'hit 1 time, expected 3 times (the guest ended first)' });
  });

  test('a breakpoint on one vCPU matches only its hits', () => {
    const rule = ruleFor(scenario.ok('machine: { cpus: 2 }', 'expect:', '  - breakpoint: f', '    vcpu: 1').expectations[0]!);
    expect([rule.matches(hit(1, { vcpu: 0 })), rule.matches(hit(1, { vcpu: 1 })), rule.matches(hit(1, { vcpu: 1, expectations: [1] }))]).toEqual([false, true, false]);
  });
});

describe('guest cases', () => {
  test('a selection keeps the run open until no case can come; one named case does not', () => {
    expect([ruleOf('  - uktest: all').keepsRunOpen(false), ruleOf('  - uktest: all').keepsRunOpen(true), ruleOf('  - uktest: suite->one').keepsRunOpen(false)])
      .toEqual([true, false, false]);
  });

  test('a case with another status fails at once; the line it ended at is its guest time', () => {
    const rule = ruleOf('  - uktest: all');
    expect(rule.observe(guestCase('one', 'passed', 1))).toEqual({ kind: 'met-for-now' });
    expect(rule.metLine).toBe('one: passed');
    expect(rule.observe(guestCase('two', 'failed', 2))).toEqual({ kind: 'decided', verdict: { status: 'failed', t: 2, reason: 'uktest case suite->two failed, expected passed' } });
  });

  test('one named case that did not run says so at the end', () => {
    expect(ruleOf('  - uktest: suite->one').atEnd(CLEAN)).toEqual({ status: 'failed', t: 50, reason: 'uktest case suite->one did not run (the guest ended first)' });
  });
});

describe('a send step', () => {
  test('matches no event, acts when what it comes after is met, and is unsent otherwise', () => {
    const rule = ruleFor(scenario.ok('expect:', "  - console: '/ # '", '  - send: "ls\\n"').expectations[1]!);
    expect(rule.matches(line('ls', 1))).toBe(false);
    expect(rule.leaderMet!(4)).toEqual({ channel: 'console', text: 'ls\n', verdict: { status: 'passed', t: 4, detail: 'sent at +4.0 ms' } });
    expect(rule.atEnd(CLEAN)).toEqual({ status: 'failed', t: 50, reason: 'not sent: the guest ended first' });
  });
});

describe('a screen row', () => {
  test('matches a row of its channel\'s screen, not a line, and names the row', () => {
    const rule = ruleOf("  - screen: 'Errors: 0'");
    const screen: ObservedEvent = { source: 'console', rows: ['Test #3', 'Errors: 0'], t: 5, seq: ++seq };
    expect([rule.matches(screen), rule.matches(line('Errors: 0', 5))]).toEqual([true, false]);
    expect(rule.matchedText(screen)).toBe('Errors: 0');
    expect(rule.observe(screen)).toEqual({ kind: 'decided', verdict: { status: 'passed', t: 5, detail: 'console screen row 2: "Errors: 0" at +5.0 ms' } });
  });
});
