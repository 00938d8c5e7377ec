// uktest rules the golden logs do not isolate: where a case ends, what a location line belongs to, how the
// printed summary is checked.
import { describe, expect, test } from 'vitest';
import { createGuestResultParser } from '../../src/results/guest-result-parser.js';
import { MAX_FAILURES_PER_CASE, type GuestCase } from '../../src/results/guest-case.js';
import type { ResultEvent } from '../../src/results/result-events.js';

const dots = (message: string, verdict: string): string => `\t${message} ${'.'.repeat(80 - message.length)} ${verdict}`;
const passed = (message: string): string => dots(message, '[ PASSED ]');
const failed = (message: string): string => dots(message, '[ FAILED ]');

function run(lines: string[]): ResultEvent[] {
  const parser = createGuestResultParser({ format: 'uktest' });
  return [...lines.flatMap((line) => parser.feedLine(line)), ...parser.finish()];
}

const cases = (events: ResultEvent[]): GuestCase[] => events.flatMap((e) => (e.type === 'case-finished' ? [e.case] : []));
const statuses = (events: ResultEvent[]): string[] => cases(events).map((c) => `${c.suite}->${c.case}: ${c.status}`);

describe('uktest parser', () => {
  test('a case ends at the next test: line, at a summary line and at the end of output', () => {
    const events = run([
      'test: s->a', passed('expected `x` to be true'),
      'test: s->b', failed('expected `y` to be true'),
      'uktest:cases:      1 failed, 2 total',
      'test: s->c', passed('expected `z` to be true'),
    ]);
    expect(statuses(events)).toEqual(['s->a: passed', 's->b: failed', 's->c: passed']);
  });

  test('the case ends as soon as the next one starts, not at the end of output', () => {
    const parser = createGuestResultParser({ format: 'uktest' });
    parser.feedLine('test: s->a');
    expect(parser.feedLine(passed('expected `x` to be true'))).toEqual([]);
    expect(cases([...parser.feedLine('test: s->b')]).map((c) => c.case)).toEqual(['a']);
  });

  test('a case without assertions passed', () => {
    expect(statuses(run(['test: s->empty', 'test: s->next']))).toEqual(['s->empty: passed', 's->next: passed']);
  });

  test('the verdict with colour codes stripped reads ` PASSED ` and ` FAILED `, trailing space included', () => {
    const events = run(['test: s->a', dots('expected `a` to be 1 and was 1', ' PASSED '), dots('expected `b` to be 1 but was 2', ' FAILED ')]);
    expect(cases(events)[0]).toMatchObject({ status: 'failed', assertions: { passed: 1, failed: 1 }, failures: [{ message: 'expected `b` to be 1 but was 2' }] });
  });

  test('a message of 79 characters has a single dot before its verdict', () => {
    const message = `expected \`${'v'.repeat(60)}\` to be 0 but was 1`.padEnd(79, 'x');
    const events = run(['test: s->a', `\t${message} . [ FAILED ]`]);
    expect(cases(events)[0]!.failures).toEqual([{ message }]);
  });

  test('a location line belongs to the failed assertion just before it, in either bracket form', () => {
    const events = run([
      'test: s->a',
      failed('expected `a` to be true'), '\t  in test_a.c]:42]',
      passed('expected `b` to be true'), '\t  in test_b.c]:50]',
      failed('expected `c` to be true'), '\t  in test_c.c:61',
      failed('expected `d` to be true'),
    ]);
    expect(cases(events)[0]!.failures).toEqual([
      { message: 'expected `a` to be true', file: 'test_a.c', line: 42 },
      { message: 'expected `c` to be true', file: 'test_c.c', line: 61 },
      { message: 'expected `d` to be true' },
    ]);
  });

  test('the older form: `: message ..... VERDICT` and `: in file:line`', () => {
    const events = run(['test: vfscore_stat_testsuite->vfscore_test_newfile', ": expected 'ret' to be 0 but was -1 ..... FAILED", ': in test_stat.c:58']);
    expect(cases(events)[0]).toMatchObject({ status: 'failed', failures: [{ message: "expected 'ret' to be 0 but was -1", file: 'test_stat.c', line: 58 }] });
  });

  test('a test: line is found after firmware text on the same line, not inside a longer word', () => {
    expect(statuses(run(['Booting from ROM..test: s->a', 'selftest: s->b', 'latest: s->c']))).toEqual(['s->a: passed']);
  });

  test('assertion-shaped lines outside any case are ignored', () => {
    expect(run([passed('expected `x` to be true'), failed('expected `y` to be true')])).toEqual([]);
  });

  test('lines between assertions (kernel messages) change nothing', () => {
    const events = run(['test: s->a', passed('expected `x` to be true'), '[    0.2] Info: [libvfscore] <main.c @  873> mounted', '   indented noise', passed('expected `y` to be true')]);
    expect(cases(events)[0]!.assertions).toEqual({ passed: 2, failed: 0 });
  });

  test('a printed summary that disagrees with the parsed cases is a diagnostic; the cases stand', () => {
    const events = run([
      'test: s->a', failed('expected `x` to be true'),
      '[    0.1] Info: [libuktest] <test.c @   92> uktest:cases:      0 failed, 1 total',
      '[    0.1] Info: [libuktest] <test.c @  104> uktest:assertions: 1 total',
    ]);
    expect(statuses(events)).toEqual(['s->a: failed']);
    expect(events.filter((e) => e.type === 'diagnostic')).toEqual([
      { type: 'diagnostic', message: 'uktest summary says cases: 0 failed, 1 total; the output shows 1 failed, 1 total' },
      { type: 'diagnostic', message: 'uktest summary says assertions: 0 failed, 1 total; the output shows 1 failed, 1 total' },
    ]);
  });

  test('a summary that agrees says nothing, and the next run is counted afresh', () => {
    const run1 = ['test: s->a', passed('expected `x` to be true'), 'uktest:cases:      1 total', 'uktest:assertions: 1 total'];
    expect(run([...run1, ...run1]).filter((e) => e.type === 'diagnostic')).toEqual([]);
  });

  test('failures past the cap are counted, not kept', () => {
    const lines = ['test: s->many', ...Array.from({ length: MAX_FAILURES_PER_CASE + 5 }, (_, i) => failed(`expected \`v${i}\` to be true`))];
    const done = cases(run(lines))[0]!;
    expect(done.assertions.failed).toBe(MAX_FAILURES_PER_CASE + 5);
    expect(done.failures).toHaveLength(MAX_FAILURES_PER_CASE);
  });
});
