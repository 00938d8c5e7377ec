// KTAP rules after kunit_parser.py that the golden logs do not isolate: prefixes, nesting, missing results.
import { describe, expect, test } from 'vitest';
import { createGuestResultParser } from '../../src/results/guest-result-parser.js';
import { MAX_MISSING_RESULTS } from '../../src/results/ktap-frame.js';
import type { ResultEvent } from '../../src/results/result-events.js';

function run(text: string): ResultEvent[] {
  const parser = createGuestResultParser({ format: 'ktap' });
  return [...text.split('\n').flatMap((line) => parser.feedLine(line)), ...parser.finish()];
}

const statuses = (events: ResultEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'case-finished' ? [`${e.case.suite}->${e.case.case}: ${e.case.status}`] : []));

describe('KTAP parser', () => {
  test('nothing before the first version line is KTAP', () => {
    expect(run('ok 1 stray\nnot ok 2 stray\n1..2')).toEqual([]);
  });

  test('the prefix of the version line is stripped by shape: timestamps of any width', () => {
    const events = run([
      '[    9.999999] KTAP version 1',
      '[    9.999999] 1..1',
      '[   10.000001]     KTAP version 1',
      '[   10.000002]     # Subtest: s',
      '[   10.000003]     1..1',
      '[  100.5]     not ok 1 t',
      '[  100.6] not ok 1 s',
    ].join('\n'));
    expect(statuses(events)).toEqual(['s->t: failed']);
  });

  test('firmware text glued before the version line is not cut from the lines after it', () => {
    // kunit_parser would cut 18 characters off every later line.
    const events = run('Booting from ROM..KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..1\n    ok 1 t\nok 1 s');
    expect(statuses(events)).toEqual(['s->t: passed']);
  });

  test('old KUnit (TAP version 14, tab indents, `- ` before names): tabs decide the nesting', () => {
    const events = run('TAP version 14\n\t# Subtest: sysctl_test\n\t1..2\n\tok 1 - a\n\tnot ok 2 - b\nnot ok 1 - sysctl_test\n\t# Subtest: example\n\t1..1\n\tok 1 - c\nok 2 - example');
    expect(statuses(events)).toEqual(['sysctl_test->a: passed', 'sysctl_test->b: failed', 'example->c: passed']);
  });

  test('without indentation, the name and the plan tell which result closes a test', () => {
    const events = run('KTAP version 1\n1..2\nKTAP version 1\n# Subtest: s\n1..2\nok 1 a\nok 2 b\nok 1 s\nok 2 top_level_case');
    expect(statuses(events)).toEqual(['s->a: passed', 's->b: passed', 'main->top_level_case: passed']);
  });

  test('the result line of an outer test closes an inner one whose own result is missing', () => {
    const events = run('KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: outer\n  1..1\n    KTAP version 1\n    # Subtest: inner\n    1..2\n    ok 1 a\nok 1 outer');
    expect(statuses(events)).toEqual(['inner->a: passed', 'inner->#2: crashed']);
    expect(events.filter((e) => e.type === 'diagnostic')).toEqual([{ type: 'diagnostic', message: 'KTAP: no result line for outer->inner' }]);
  });

  test('a header at the same indentation as an open test starts its sibling: the open one had no result', () => {
    const events = run('KTAP version 1\n1..2\n    KTAP version 1\n    # Subtest: first\n    1..2\n    ok 1 a\n    KTAP version 1\n    # Subtest: second\n    1..1\n    ok 1 b\nok 2 second');
    expect(statuses(events)).toEqual(['first->a: passed', 'first->#2: crashed', 'second->b: passed']);
  });

  test('a nested test that turns out to have no subtests is itself a case, with its failures', () => {
    const events = run('KTAP version 1\n1..1\n  KTAP version 1\n  # Subtest: s\n  1..1\n    # Subtest: leafy\n    # leafy: EXPECTATION FAILED at lib/x.c:3\n    Expected a, but b\n  not ok 1 leafy\nnot ok 1 s');
    const leaf = events.find((e) => e.type === 'case-finished');
    expect(leaf).toMatchObject({ case: { suite: 's', case: 'leafy', status: 'failed', assertions: { failed: 1 }, failures: [{ message: 'Expected a, but b', file: 'lib/x.c', line: 3 }] } });
  });

  test('directives: SKIP is skipped either way, TODO and XFAIL expect a failure, TIMEOUT and ERROR fail', () => {
    const events = run([
      'KTAP version 1', '1..8',
      'ok 1 a # SKIP', 'not ok 2 b # skip lower case too', 'not ok 3 c # TODO', 'ok 4 d # TODO',
      'not ok 5 e # XFAIL', 'ok 6 f # XFAIL', 'not ok 7 g # TIMEOUT 30 seconds', 'ok 8 h # not a directive',
    ].join('\n'));
    expect(statuses(events)).toEqual([
      'main->a: skipped', 'main->b: skipped', 'main->c: skipped', 'main->d: passed',
      'main->e: skipped', 'main->f: passed', 'main->g: failed', 'main->h: passed',
    ]);
  });

  test('a result without a description is named by its number', () => {
    expect(statuses(run('KTAP version 1\n1..1\nnot ok 1'))).toEqual(['main->#1: failed']);
  });

  test('a failed case without KUnit failure lines keeps its own named diagnostics as failures', () => {
    const events = run('KTAP version 1\n1..1\n# other: unrelated\n# t: try timed out\nnot ok 1 t');
    expect(events[0]).toMatchObject({ case: { failures: [{ message: 'try timed out' }], assertions: { failed: 0 } } });
  });

  test('KUnit failure detail ends at the next KTAP line or named diagnostic, and keeps relative indentation', () => {
    const events = run('KTAP version 1\n1..1\n# t: EXPECTATION FAILED at a.c:1\nExpected x == 1, but\n    x == 2\n# t: note\n  ok? no\nnot ok 1 t');
    expect(events[0]).toMatchObject({ case: { failures: [{ message: 'Expected x == 1, but\n    x == 2', file: 'a.c', line: 1 }] } });
  });

  test('a KUnit failure line without detail lines says what failed', () => {
    const events = run('KTAP version 1\n1..1\n# t: ASSERTION FAILED at lib/a.c:9\nnot ok 1 t');
    expect(events[0]).toMatchObject({ case: { failures: [{ message: 'ASSERTION FAILED', file: 'lib/a.c', line: 9 }] } });
  });

  test('the end of output cuts tests short: planned results never printed are crashed', () => {
    const events = run('KTAP version 1\n1..3\n    KTAP version 1\n    # Subtest: s\n    1..3\n    ok 1 a');
    expect(statuses(events)).toEqual(['s->a: passed', 's->#2: crashed', 's->#3: crashed', 'main->#2: crashed', 'main->#3: crashed']);
  });

  test('without a plan, only an open nested test tells that a case was running', () => {
    expect(statuses(run('TAP version 14\n\t# Subtest: s\n\tok 1 - a'))).toEqual(['s->a: passed', 's->#2: crashed']);
    expect(statuses(run('TAP version 14\nok 1 - a'))).toEqual(['main->a: passed']);
  });

  test('`List of all partitions:` ends KTAP output; later KTAP-looking lines are ignored until a new version line', () => {
    const events = run('KTAP version 1\n1..1\nok 1 a\nList of all partitions:\nok 2 after\nKTAP version 1\n1..1\nok 1 again');
    expect(statuses(events)).toEqual(['main->a: passed', 'main->again: passed']);
  });

  test('a garbled plan does not flood: missing results are reported up to a limit', () => {
    const events = run('KTAP version 1\n1..99999999\nok 1 a');
    expect(statuses(events)).toHaveLength(1 + MAX_MISSING_RESULTS);
  });
});
