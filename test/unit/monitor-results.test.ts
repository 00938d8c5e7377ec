// The guest's own results in the monitor: uktest/ktap expectations and what a crash does to a run.
// Console lines come from the golden logs the parsers are tested on (10 of them captured in QEMU).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { ScenarioMonitor } from '../../src/match/scenario-monitor.js';
import type { Verdict } from '../../src/match/verdict.js';
import { formatTimeline } from '../../src/timeline/timeline.js';
import { monitorFor } from './support/monitor.js';

const reason = (verdict: Verdict): string => (verdict.status === 'failed' ? verdict.reason : `(${verdict.status})`);
const POWEROFF = { kind: 'poweroff' } as const;

function logLines(name: string): string[] {
  // Clean lines, as the LineSplitter hands them over: no CR, no ANSI codes.
  const text = readFileSync(new URL(`../fixtures/results/${name}.log`, import.meta.url), 'utf8');
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b(?:\[[0-9;?]*[A-Za-z]|[A-Za-z])/g, '').replace(/\r/g, '').split('\n');
}

/** Feeds a log line by line, 1 ms apart, stopping once the run has finished. */
function feed(m: ScenarioMonitor, lines: string[], channel: 'console' | 'debugcon' | 'firmware' = 'console', t0 = 1): number {
  let t = t0;
  for (const line of lines) {
    if (m.finished) break;
    m.line(channel, line, t++);
  }
  return t;
}

describe('uktest and ktap expectations', () => {
  test('all: stays open while cases pass, and passes when the guest exits', () => {
    const m = monitorFor('expect:', '  - uktest: all', '    cases: 5');
    const t = feed(m, logLines('reference-uktest-pass'));
    expect(m.finished).toBeUndefined();
    expect(m.verdictOf(0).status).toBe('pending');
    m.exit(POWEROFF, t);
    expect(m.verdictOf(0)).toMatchObject({ status: 'passed' });
    expect(m.results.cases.map((c) => `${c.suite}->${c.case}`)).toEqual([
      'ref_arith_testsuite->test_add', 'ref_arith_testsuite->test_mul', 'ref_arith_testsuite->test_shift',
      'ref_io_testsuite->test_read', 'ref_io_testsuite->test_write',
    ]);
  });

  test('the last case, which has no end marker, is ended by the exit and counted', () => {
    const m = monitorFor('expect:', '  - uktest: ref_io_testsuite->test_write');
    feed(m, logLines('reference-uktest-pass').filter((l) => !l.includes('uktest:')));
    expect(m.verdictOf(0).status).toBe('pending');
    m.exit(POWEROFF, 100);
    expect(m.verdictOf(0).status).toBe('passed');
  });

  test('one named case passes when it ends, and ends the run when nothing else is open', () => {
    const m = monitorFor('expect:', '  - uktest: ref_arith_testsuite->test_mul');
    feed(m, logLines('reference-uktest-pass'));
    expect(m.verdictOf(0)).toMatchObject({ status: 'passed', detail: expect.stringMatching(/^ref_arith_testsuite->test_mul passed at \+\d/) });
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('a selected case with another status fails at once, with the guest message and location', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - uktest: all');
    feed(m, logLines('reference-uktest-fail'));
    expect(reason(m.verdictOf(0))).toBe('uktest case ref_io_testsuite->test_read failed, expected passed: expected `ret` to be 0 but was -1 (test_io.c:42)');
  });

  test('status: failed selects cases that must fail', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - uktest: ref_io_testsuite->test_read', '    status: failed', '  - uktest: ref_io_testsuite->test_w*', '    status: failed');
    feed(m, logLines('reference-uktest-fail'));
    m.exit(POWEROFF, 1000);
    expect(m.verdictOf(0).status).toBe('passed');
    expect(reason(m.verdictOf(1))).toBe('uktest case ref_io_testsuite->test_write passed, expected failed');
  });

  test('too few cases fail when the run ends; too many fail at the one too many', () => {
    const few = monitorFor('expect:', '  - uktest: all', '    cases: 6');
    feed(few, logLines('reference-uktest-pass'));
    few.exit(POWEROFF, 1000);
    expect(reason(few.verdictOf(0))).toBe('5 cases ran, expected 6 cases (the guest ended first: power-off (QEMU status 0))');

    const many = monitorFor('exit: poweroff', 'expect:', '  - uktest: all', '    cases: { max: 2 }');
    feed(many, logLines('reference-uktest-pass'));
    expect(reason(many.verdictOf(0))).toBe('3 cases ran, expected at most 2 cases; the last was ref_arith_testsuite->test_shift');
  });

  test('a run where the tests did not run at all fails: at least one case is the default', () => {
    const m = monitorFor('expect:', '  - uktest: all');
    feed(m, ['Booting from ROM..', 'hello']);
    m.exit(POWEROFF, 10);
    expect(reason(m.verdictOf(0))).toBe('0 cases ran, expected at least 1 case (the guest ended first: power-off (QEMU status 0))');
  });

  test('a suite selector; ktap: skipped cases neither count nor fail "passed", but a named skipped case is not passed', () => {
    const m = monitorFor('expect:', '  - ktap: ref_arith', '    cases: 2', '  - ktap: all', '    cases: 4', '  - ktap: ref_arith->arith_overflow_test');
    feed(m, logLines('reference-ktap-pass'));
    m.exit(POWEROFF, 1000);
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.verdictOf(1).status).toBe('passed');
    expect(reason(m.verdictOf(2))).toBe('ktap case ref_arith->arith_overflow_test skipped, expected passed');
  });

  test('the format and the channel must match: uktest output does not meet a ktap expectation', () => {
    const m = monitorFor('expect:', '  - ktap: all', '  - uktest: all', '    channel: debugcon');
    feed(m, logLines('reference-uktest-pass'));
    m.exit(POWEROFF, 1000);
    expect(reason(m.verdictOf(0))).toMatch(/^0 cases ran/);
    expect(reason(m.verdictOf(1))).toMatch(/^0 cases ran/);
  });

  test('cases are timeline events naming the expectations they count for', () => {
    const m = monitorFor('expect:', '  - uktest: ref_arith_testsuite->test_add');
    feed(m, logLines('reference-uktest-pass'));
    expect(formatTimeline(m.timeline)).toEqual([expect.stringMatching(/^\+\s+\d+\.\d ms {2}uktest {3}ref_arith_testsuite->test_add passed \(expect\[0\]\)$/)]);
  });

  test('after: only cases ending after the named expectation count', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - console: test_shift', '    id: shift', '  - uktest: all', '    after: shift', '    cases: 2');
    feed(m, logLines('reference-uktest-pass'));
    m.exit(POWEROFF, 1000);
    // A case ends where the next begins, so the line naming test_shift comes after test_mul ended:
    // test_shift, test_read and test_write count, in exact order although they are not lines themselves.
    expect(reason(m.verdictOf(1))).toBe('3 cases ran, expected 2 cases; the last was ref_io_testsuite->test_write');
  });
});

describe('crashes', () => {
  test('none (the default): the run ends once the dump is read, failing what is pending with the crash as cause', () => {
    const m = monitorFor('exit: any', 'expect:', '  - console: never printed');
    const lines = logLines('reference-uktest-crash');
    const marker = lines.findIndex((l) => l.includes('Unikraft crash'));
    feed(m, lines.slice(0, marker + 3));
    expect(m.finished).toBeUndefined();
    feed(m, lines.slice(marker + 3), 'console', 100);
    m.exit(POWEROFF, 1000);
    expect(m.finished).toMatchObject({ reason: 'crashed', cause: 'the guest crashed (unikraft-crash during ref_io_testsuite->test_read): "[    0.105127] CRIT: Unikraft crash - Helene (0.17.0~reference)"' });
    expect(reason(m.verdictOf(0))).toBe(`not seen: ${m.finished!.cause}`);
    expect(reason(m.verdictOf('exit'))).toBe(`not reached: ${m.finished!.cause}`);
    expect(m.results.crashes).toHaveLength(1);
    expect(m.results.crashes[0]!.lines.at(-1)).toBe('Unikraft halted');
  });

  test('none: a dump that never says it is over is ended by the runner (endCrashDump), with the lines read', () => {
    const m = monitorFor('expect:', '  - console: never printed');
    const heard: string[] = [];
    m.onCrash((crash) => heard.push(`${crash.kind} ${crash.case ?? '-'}`));
    const lines = logLines('reference-uktest-crash');
    const marker = lines.findIndex((l) => l.includes('Unikraft crash'));
    feed(m, lines.slice(0, marker + 4));
    expect(heard).toEqual(['unikraft-crash ref_io_testsuite->test_read']);
    expect(m.finished).toBeUndefined();
    m.endCrashDump(2000);
    expect(m.finished).toMatchObject({ reason: 'crashed', t: 2000 });
    expect(m.results.crashes[0]!.lines).toHaveLength(4);
  });

  test('none: expectations decided by the crash wait for its dump, so the failure can show it', () => {
    const m = monitorFor('expect:', '  - uktest: all');
    const lines = logLines('reference-uktest-crash');
    const marker = lines.findIndex((l) => l.includes('Unikraft crash'));
    feed(m, lines.slice(0, marker + 1));
    expect(reason(m.verdictOf(0))).toBe('uktest case ref_io_testsuite->test_read crashed, expected passed');
    expect(m.finished).toBeUndefined();
    m.endCrashDump(50);
    expect(m.finished?.reason).toBe('crashed');
  });

  test('expected: passes at the crash, after which no more cases can come, so the run ends', () => {
    const m = monitorFor('crash: expected', 'expect:', '  - uktest: ref_arith_testsuite', '    cases: 3');
    feed(m, logLines('reference-uktest-crash'));
    expect(m.verdictOf('crash')).toMatchObject({ status: 'passed', detail: expect.stringMatching(/^unikraft-crash during ref_io_testsuite->test_read at \+\d+\.\d ms: "/) });
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('expected: an endless crash loop is one crash and ends the run', () => {
    const m = monitorFor('crash: { expected: unhandled-trap }');
    const loop = logLines('reference-crashloop');
    feed(m, [...loop, ...loop, ...loop]);
    expect(m.verdictOf('crash').status).toBe('passed');
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('expected with a kind: another kind first does not count; no such crash fails at the end', () => {
    const m = monitorFor('crash: { expected: linux-panic }');
    feed(m, logLines('linux-warning-kasan'));
    expect(m.verdictOf('crash').status).toBe('pending');
    m.exit(POWEROFF, 1000);
    expect(reason(m.verdictOf('crash'))).toBe('no linux-panic seen: the guest ended first: power-off (QEMU status 0)');

    const panic = monitorFor('crash: { expected: linux-panic }');
    feed(panic, logLines('linux-panic'));
    expect(panic.verdictOf('crash').status).toBe('passed');
  });

  test('expected: reset is QEMU seeing a triple fault or a reset', () => {
    const m = monitorFor('crash: { expected: reset }');
    m.exit({ kind: 'reset' }, 5);
    expect(m.verdictOf('crash').status).toBe('passed');
  });

  test('allowed: crashes are recorded on the timeline and end nothing', () => {
    const m = monitorFor('crash: allowed', 'expect:', '  - console: after the crash');
    feed(m, [...logLines('linux-oops'), 'after the crash']);
    expect(m.verdictOf(0).status).toBe('passed');
    // The log's BUG line opens the dump its Oops line belongs to: one crash.
    expect(m.timeline.events.filter((e) => e.kind === 'crash').map((e) => e.kind === 'crash' && e.crash)).toEqual(['linux-bug']);
  });

  test('the firmware port is not read for crashes', () => {
    const m = monitorFor('expect:', '  - console: ok');
    m.line('firmware', 'Kernel panic - not syncing: fake', 1);
    m.line('console', 'ok', 2);
    expect(m.finished?.reason).toBe('verdict-known');
  });

  test('unless the guest prints its results there: then its cases and its crashes are read like any channel', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - ktap: all', '    channel: firmware');
    feed(m, logLines('reference-ktap-crash'), 'firmware');
    expect(m.finished?.reason).toBe('crashed');
    expect(reason(m.verdictOf(0))).toMatch(/^ktap case ref_io->#2 crashed, expected passed/);
    expect(m.timeline.events.filter((e) => e.kind === 'case').map((e) => e.kind === 'case' && `${e.id} ${e.status}`)).toContain('ref_arith->arith_add_test passed');
  });
});

describe('end conditions', () => {
  test('a line on its channel ends the run as the guest own end, after the line itself was checked', () => {
    const m = monitorFor('exit: any', 'end:', '  - console: Unikraft halted', '  - debugcon: { regex: "^bye$" }', 'expect:', '  - console: halted');
    m.line('debugcon', 'Unikraft halted', 1);
    expect(m.finished).toBeUndefined();
    m.line('console', 'Unikraft halted', 2);
    expect(m.finished).toEqual({ reason: 'guest-end', t: 2, cause: 'the guest ended first: console line "Unikraft halted" (end: "Unikraft halted")' });
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.verdictOf('exit')).toMatchObject({ status: 'passed', detail: 'console line "Unikraft halted" (end: "Unikraft halted")' });
  });

  test('a port 0x80 code ends the run, a byte or any code of a stage, after the code itself was checked', () => {
    const m = monitorFor('exit: any', 'end:', '  - code: 0x7f', 'expect:', '  - code: userspace', '  - console: late');
    m.code(0x60, 1);
    expect(m.finished).toBeUndefined();
    m.code(0x7f, 2);
    expect(m.finished).toEqual({ reason: 'guest-end', t: 2, cause: 'the guest ended first: codes code 0x7f (end: code 0x7f)' });
    expect(m.verdictOf(0).status).toBe('passed');
    expect(reason(m.verdictOf(1))).toBe('not seen: the guest ended first: codes code 0x7f (end: code 0x7f)');
    const stage = monitorFor('exit: any', 'end:', '  - code: custom', 'expect:', '  - code: 0x90');
    stage.code(0x90, 3);
    expect(stage.verdictOf(0).status).toBe('passed');
    expect(stage.verdictOf('exit')).toMatchObject({ status: 'passed', detail: 'codes code 0x90 (end: code custom (0x80-0xff))' });
  });

  test('the runner-watched conditions end it the same way; an exit that needs a code fails, naming the end', () => {
    const m = monitorFor('exit: { debug-exit: 41 }', 'end:', '  - quiet: 2');
    m.endCondition('no output for 2 s (end: quiet)', 5);
    expect(m.finished?.reason).toBe('guest-end');
    expect(m.verdictOf('exit')).toMatchObject({ status: 'failed', reason: 'expected debug-exit value 41 (QEMU status 83), got no output for 2 s (end: quiet)' });
  });

  test('the end flushes the guest results: the last uktest case counts', () => {
    const m = monitorFor('end:', '  - console: Unikraft halted', 'expect:', '  - uktest: all', '    cases: 5');
    feed(m, [...logLines('reference-uktest-pass'), 'Unikraft halted']);
    expect(m.finished?.reason).toBe('guest-end');
    expect(m.verdictOf(0).status).toBe('passed');
  });

  test('exit: reset takes a reset only', () => {
    const reset = monitorFor('exit: reset');
    reset.exit({ kind: 'reset' }, 1);
    expect(reset.verdictOf('exit').status).toBe('passed');
    const off = monitorFor('exit: reset');
    off.exit(POWEROFF, 1);
    expect(reason(off.verdictOf('exit'))).toBe('expected a guest reset, got power-off (QEMU status 0)');
  });
});
