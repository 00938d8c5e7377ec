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

  test('a printk-stamped line is tried as printed, then without its stamp: ^ holds with printk.time on or off', () => {
    const testBpf: LineFormat = { name: 'test_bpf', source: '^test_bpf: (?<case>#\\d+ .*?) (?:jited:\\d )?[\\d ]*(?<result>PASS|FAIL)$', flags: '', words: { PASS: 'passed', FAIL: 'failed' } };
    const parser = new LineFormatParser(testBpf);
    const name = (line: string) => cases(parser.feedLine(line)).map((c) => `${c.case} ${c.status}`);
    expect(name('test_bpf: #7 ALU_MOV_X: dst = 2 jited:0 35 PASS')).toEqual(['#7 ALU_MOV_X: dst = 2 passed']);
    expect(name('[    3.073217] test_bpf: #118 ALU_MUL_X: 2 * 3 = 6 jited:0 8 PASS')).toEqual(['#118 ALU_MUL_X: 2 * 3 = 6 passed']);
    expect(name('<6>[   12.5][    T1] test_bpf: #9 LD_IMM64 jited:0 FAIL')).toEqual(['#9 LD_IMM64 failed']);
    expect(name('<4>test_bpf: #10 X jited:0 3 PASS')).toEqual(['#10 X passed']);
    // Only a leading stamp is taken off: user output with a stamp in its middle is left as it is.
    expect(name('ok [    3.073217] test_bpf: #11 Y jited:0 3 PASS')).toEqual([]);
    // A format that reads the stamp itself still sees it.
    const stamped = new LineFormatParser({ ...testBpf, source: '^\\[ *(?<measurement>[\\d.]+)\\] test_bpf: (?<case>#\\d+) .* (?<result>PASS)$' });
    expect(cases(stamped.feedLine('[    3.073217] test_bpf: #7 ALU jited:0 35 PASS'))).toMatchObject([{ case: '#7', measurement: '3.073217' }]);
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
