// A scenario's own result lines: a regex with named groups -> cases, like uktest's.
import { describe, expect, test } from 'vitest';
import { LineFormatParser, namedGroups, type LineFormat } from '../../src/results/line-format.js';
import type { ResultEvent } from '../../src/results/result-events.js';
import { oneScenario } from './support/one-scenario.js';

const TORO: LineFormat = {
  name: 'toro',
  source: '(?:(?<suite>[A-Z]+)/)?(?<case>Test\\w+)-\\d+: (?<result>[A-Z]+)(?: \\((?<message>[^)]*)\\))?(?: in (?<measurement>\\d+ ms))?$',
  flags: '',
  words: { PASSED: 'passed', FAILED: 'failed', SKIP: 'skipped' },
};

const cases = (events: readonly ResultEvent[]) => events.flatMap((e) => (e.type === 'case-finished' ? [e.case] : []));

describe('line formats', () => {
  test('each matching line is a case; suite, message and measurement are optional groups', () => {
    const parser = new LineFormatParser(TORO);
    expect(cases(parser.feedLine('CPU0 Thread#0x7FFBF78 TestFreeMem-0: PASSED in 12 ms'))).toEqual([
      { format: 'toro', suite: 'toro', case: 'TestFreeMem', status: 'passed', assertions: { passed: 1, failed: 0 }, failures: [], measurement: '12 ms' },
    ]);
    expect(cases(parser.feedLine('MM/TestAlloc-1: FAILED (no memory)'))).toEqual([
      { format: 'toro', suite: 'MM', case: 'TestAlloc', status: 'failed', assertions: { passed: 0, failed: 1 }, failures: [{ message: 'no memory' }] },
    ]);
    expect(cases(parser.feedLine('TestVirtio-2: SKIP'))[0]).toMatchObject({ status: 'skipped', failures: [] });
    expect(parser.feedLine('booting Toro')).toEqual([]);
  });

  test('a failure without a message says the word; a word the format does not know fails, saying so', () => {
    const parser = new LineFormatParser(TORO);
    expect(cases(parser.feedLine('TestA-0: FAILED'))[0]!.failures).toEqual([{ message: 'FAILED' }]);
    expect(cases(parser.feedLine('TestB-0: BROKEN'))[0]).toMatchObject({ status: 'failed', failures: [{ message: 'result "BROKEN" is not one of the format\'s words (PASSED, FAILED, SKIP)' }] });
  });

  test('namedGroups lists the groups a source defines', () => {
    expect(namedGroups(TORO.source)).toEqual(['suite', 'case', 'result', 'message', 'measurement']);
    expect(namedGroups('(?:x)(?=y)(?<a_1>z)')).toEqual(['a_1']);
  });
});

describe('formats and results in the scenario', () => {
  const { ok, issue } = oneScenario('f.yaml', ['name: f', 'guest: { kernel: k.elf }', 'exit: any']);
  const format = (line: string, ...more: string[]) => ['formats:', '  toro:', `    line: '${line}'`, ...more];

  test('default words, and a format\'s own lists replacing them', () => {
    expect(ok(...format('(?<case>\\w+): (?<result>\\w+)')).formats).toEqual([{
      name: 'toro', source: '(?<case>\\w+): (?<result>\\w+)', flags: '',
      words: { PASSED: 'passed', PASS: 'passed', OK: 'passed', ok: 'passed', FAILED: 'failed', FAIL: 'failed', ERROR: 'failed', SKIPPED: 'skipped', SKIP: 'skipped' },
    }]);
    expect(ok(...format('(?<case>\\w+): (?<result>\\w+)', '    passed: [good]', '    failed: [bad]', '    skipped: []')).formats[0]!.words).toEqual({ good: 'passed', bad: 'failed' });
  });

  test('a results expectation names its format', () => {
    const scenario = ok(...format('(?<case>\\w+): (?<result>\\w+)'), 'expect:', '  - results: all', '    format: toro');
    expect(scenario.expectations[0]).toMatchObject({ kind: 'results', format: 'toro', select: { kind: 'all' }, status: 'passed', count: { min: 1 } });
  });

  test('errors: a missing or unknown group, a regex that does not compile, an unknown format, no format', () => {
    expect(issue(...format('(?<case>\\w+): \\w+'))).toMatchObject({ path: 'formats.toro.line', line: 6, message: 'the regular expression has no named group (?<result>...).', hint: 'Groups: case, result, suite, message, measurement (case and result required).' });
    expect(issue(...format('(?<case>\\w+): (?<result>\\w+) (?<time>\\d+)'))).toMatchObject({ path: 'formats.toro.line', message: 'named group (?<time>...) is not one this format knows.' });
    expect(issue(...format('(?<case>\\w+: (?<result>\\w+)'))).toMatchObject({ path: 'formats.toro.line', message: expect.stringContaining('does not compile') });
    expect(issue(...format('(?<case>\\w+): (?<result>\\w+)'), 'expect:', '  - results: all', '    format: tora')).toMatchObject({ path: 'expect[0].format', line: 9, message: 'no format named "tora" under formats:.', hint: 'Did you mean "toro"?' });
    expect(issue('expect:', '  - results: all')).toMatchObject({ code: 'missing-key', path: 'expect[0]', message: expect.stringContaining('format') });
  });
});
