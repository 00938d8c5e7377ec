// uktest/ktap expectations, crash, end conditions and output-limit: defaults, forms, and errors pointing at the YAML.
import { describe, expect, test } from 'vitest';
import { oneScenario } from './support/one-scenario.js';
import { compileCaseSelector, describeSelector, oneCaseName, selectsOneCase } from '../../src/match/case-selector.js';
import { caseSelector } from '../../src/scenario/normalize-results.js';

const { load, ok, issue } = oneScenario('r.yaml', ['name: r', 'guest: { kernel: k.elf }']);

describe('uktest and ktap expectations', () => {
  test('defaults: status passed, at least one case, the console', () => {
    expect(ok('expect:', '  - uktest: all').expectations[0]).toMatchObject({
      kind: 'results', format: 'uktest', channel: 'console', select: { kind: 'all' }, status: 'passed', count: { min: 1 }, location: { line: 4, col: 5 },
    });
  });

  test('every key', () => {
    const [e] = ok('expect:', '  - ktap: "kunit-*->test_?"', '    status: failed', '    cases: { min: 2, max: 4 }', '    channel: debugcon').expectations;
    expect(e).toMatchObject({ kind: 'results', format: 'ktap', channel: 'debugcon', select: { kind: 'case', pattern: 'kunit-*->test_?' }, status: 'failed', count: { min: 2, max: 4 } });
  });

  test('bad values are refused at their line, with what is allowed', () => {
    expect(issue('expect:', '  - uktest: all', '    status: ok')).toMatchObject({ code: 'invalid-value', line: 5, path: 'expect[0].status', message: expect.stringContaining('passed, failed, crashed, skipped') });
    expect(issue('expect:', '  - uktest: all', '    cases: { min: 3, max: 1 }')).toMatchObject({ line: 5, path: 'expect[0].cases', message: 'min (3) is above max (1).' });
    expect(issue('expect:', '  - uktest: all', '    channel: serial')).toMatchObject({ path: 'expect[0].channel', message: expect.stringContaining('console, debugcon, firmware, virtio') });
    expect(issue('expect:', '  - uktest: ""')).toMatchObject({ path: 'expect[0].uktest' });
    expect(issue('expect:', '  - uktest: all', '    count: 3')).toMatchObject({ code: 'unknown-key', path: 'expect[0].count', hint: 'Valid keys here: uktest, status, cases, channel, id, after, timeout.' });
  });
});

describe('crash', () => {
  test('none by default, located at the scenario; the forms', () => {
    expect(ok('exit: any').crash).toEqual({ kind: 'none', location: { file: 'r.yaml', line: 1, col: 1 } });
    expect(ok('exit: any', 'crash: allowed').crash).toMatchObject({ kind: 'allowed', location: { line: 4 } });
    expect(ok('crash: expected').crash).toMatchObject({ kind: 'expected', crash: 'any' });
    expect(ok('crash: { expected: linux-panic }').crash).toMatchObject({ kind: 'expected', crash: 'linux-panic' });
    expect(ok('crash: { expected: reset }').crash).toMatchObject({ kind: 'expected', crash: 'reset' });
  });

  test('an expected crash is a check of its own; none and allowed are not', () => {
    expect(load('crash: expected').ok).toBe(true);
    expect(issue('crash: allowed')).toMatchObject({ message: 'the scenario checks nothing.' });
  });

  test('unknown kinds are refused with the known ones', () => {
    expect(issue('crash: { expected: panic }')).toMatchObject({ path: 'crash.expected', line: 3, message: expect.stringContaining('linux-panic') });
    expect(issue('crash: sometimes')).toMatchObject({ path: 'crash', line: 3 });
  });
});

describe('case selectors', () => {
  test('all, suites and cases', () => {
    expect(caseSelector('all')).toEqual({ kind: 'all' });
    expect(caseSelector('alloc')).toEqual({ kind: 'suite', pattern: 'alloc' });
    expect(caseSelector('alloc->malloc_zero')).toEqual({ kind: 'case', pattern: 'alloc->malloc_zero' });
    expect(['all', 'alloc', 'a->b', 'a->b*'].map((t) => describeSelector(caseSelector(t)))).toEqual(['all cases', 'suite alloc', 'a->b', 'a->b*']);
  });

  test('globs: * crosses any character (KUnit case names hold / and spaces), ? is one; the rest is literal', () => {
    const cases = [
      { suite: 'alloc', case: 'malloc_zero' },
      { suite: 'alloc', case: 'param/size 16' },
      { suite: 'alloc.x', case: 'a' },
      { suite: 'allocx', case: 'a' },
    ];
    const pick = (text: string) => cases.filter(compileCaseSelector(caseSelector(text))).map((c) => `${c.suite}->${c.case}`);
    expect(pick('alloc')).toEqual(['alloc->malloc_zero', 'alloc->param/size 16']);
    expect(pick('alloc->*')).toEqual(['alloc->malloc_zero', 'alloc->param/size 16']);
    expect(pick('alloc->param/*')).toEqual(['alloc->param/size 16']);
    expect(pick('alloc.?')).toEqual(['alloc.x->a']);
    expect(pick('alloc?x')).toEqual(['alloc.x->a']);
    expect(pick('all')).toHaveLength(4);
    expect(pick('*->a')).toEqual(['alloc.x->a', 'allocx->a']);
  });

  test('one case is a case pattern without wildcards', () => {
    expect(['a->b', 'a->b*', 'a->?', 'a', 'all', 'a->2 \\* 3', 'a->\\?*'].map((t) => selectsOneCase(caseSelector(t)))).toEqual([true, false, false, false, false, true, false]);
    expect(['a->b', 'a->2 \\* 3 = 6', 'a->why\\?', 'a->back\\\\slash', 'a->c:\\dir', 'a->b*'].map((t) => oneCaseName(caseSelector(t))))
      .toEqual(['a->b', 'a->2 * 3 = 6', 'a->why?', 'a->back\\slash', 'a->c:\\dir', undefined]);
  });

  test('\\* and \\? match a literal * and ?, \\\\ a backslash; a backslash before anything else is itself', () => {
    // Real names from Linux's test_bpf, which prints `#118 ALU_MUL_X: 2 * 3 = 6 jited:0 8 PASS`.
    const cases = [
      { suite: 'test_bpf', case: '#118 ALU_MUL_X: 2 * 3 = 6' },
      { suite: 'test_bpf', case: '#119 ALU_MUL_X: 2 + 3 = 6' },
      { suite: 'test_bpf', case: '#120 ALU_MUL_X: 2 * 3 = 6?' },
      { suite: 'test_bpf', case: 'path c:\\dir' },
      { suite: 'test_bpf', case: 'a -> b' },
    ];
    const pick = (text: string) => cases.filter(compileCaseSelector(caseSelector(text))).map((c) => c.case);
    expect(pick('test_bpf->#118 ALU_MUL_X: 2 \\* 3 = 6')).toEqual(['#118 ALU_MUL_X: 2 * 3 = 6']);
    expect(pick('test_bpf->* 2 \\* 3 = 6')).toEqual(['#118 ALU_MUL_X: 2 * 3 = 6']);
    expect(pick('test_bpf->* 2 * 3 = 6')).toEqual(['#118 ALU_MUL_X: 2 * 3 = 6', '#119 ALU_MUL_X: 2 + 3 = 6']);
    expect(pick('test_bpf->*6\\?')).toEqual(['#120 ALU_MUL_X: 2 * 3 = 6?']);
    expect(pick('test_bpf->#11? *')).toEqual(['#118 ALU_MUL_X: 2 * 3 = 6', '#119 ALU_MUL_X: 2 + 3 = 6']);
    expect(pick('test_bpf->#11\\? *')).toEqual([]);
    expect(pick('test_bpf->path c:\\dir')).toEqual(['path c:\\dir']);
    expect(pick('test_bpf->path c:\\\\dir')).toEqual(['path c:\\dir']);
    // A case part may itself hold ` -> `: the selector is matched against `suite->case` as one text.
    expect(pick('test_bpf->a -> b')).toEqual(['a -> b']);
    expect(pick('test_bpf->* -> *')).toEqual(['a -> b']);
  });
});

describe('end', () => {
  test('lines on a channel, port 0x80 codes, a quiet time, a QMP event, each located', () => {
    expect(ok('exit: any', 'end:', '  - console: halted', '  - firmware: { regex: "^done$", flags: i }', '  - quiet: 1.5', '  - qmp: GUEST_PANICKED', '  - code: 0x7f', '  - code: custom').end).toEqual([
      { kind: 'line', channel: 'console', pattern: { kind: 'text', text: 'halted' }, location: { file: 'r.yaml', line: 5, col: 5 } },
      { kind: 'line', channel: 'firmware', pattern: { kind: 'regex', source: '^done$', flags: 'i' }, location: { file: 'r.yaml', line: 6, col: 5 } },
      { kind: 'quiet', seconds: 1.5, location: { file: 'r.yaml', line: 7, col: 5 } },
      { kind: 'qmp', event: 'GUEST_PANICKED', location: { file: 'r.yaml', line: 8, col: 5 } },
      { kind: 'code', code: 0x7f, location: { file: 'r.yaml', line: 9, col: 5 } },
      { kind: 'code', code: 'custom', location: { file: 'r.yaml', line: 10, col: 5 } },
    ]);
    expect(ok('exit: any').end).toEqual([]);
  });

  test('bad conditions are refused where they are', () => {
    expect(issue('exit: any', 'end:', '  - console: { regex: "(" }')).toMatchObject({ path: 'end[0].console.regex', line: 5, message: expect.stringContaining('does not compile') });
    expect(issue('exit: any', 'end:', '  - quiet: 0')).toMatchObject({ path: 'end[0].quiet', line: 5 });
    expect(issue('exit: any', 'end:', '  - qmp: guest_panicked')).toMatchObject({ path: 'end[0].qmp', message: expect.stringContaining('upper-case QMP event name') });
    expect(issue('exit: any', 'end:', '  - serial: halted')).toMatchObject({ code: 'unknown-key', path: 'end[0]', line: 5 });
    expect(issue('exit: any', 'end:', '  - code: 256')).toMatchObject({ code: 'invalid-value', path: 'end[0].code', line: 5, col: 11 });
  });
});

describe('output-limit', () => {
  const MiB = 1024 ** 2;
  const each = (bytes: number) => ({ console: bytes, debugcon: bytes, firmware: bytes, virtio: bytes, codes: bytes });

  test('64 MiB for every channel by default; one K, M or G size for every channel; anything else refused with the form', () => {
    expect(ok('exit: any').outputLimits).toEqual(each(64 * MiB));
    expect(['512K', '3M', '1G'].map((size) => ok('exit: any', `output-limit: ${size}`).outputLimits.virtio)).toEqual([512 * 1024, 3 * MiB, 1024 ** 3]);
    expect(ok('exit: any', 'output-limit: 512K').outputLimits).toEqual(each(512 * 1024));
    expect(issue('exit: any', 'output-limit: 10MB')).toMatchObject({ path: 'output-limit', line: 4, message: expect.stringContaining('a size like 512K, 64M or 1G') });
    expect(issue('exit: any', 'output-limit: 1000')).toMatchObject({ path: 'output-limit', message: expect.stringContaining('or a map of sizes by channel (console, debugcon, firmware, virtio, codes)') });
  });

  test('a map limits the channels it names; the others keep the default', () => {
    expect(ok('exit: any', 'output-limit: { console: 1M, virtio: 16M, codes: 4K }').outputLimits).toEqual({ ...each(64 * MiB), console: MiB, virtio: 16 * MiB, codes: 4096 });
  });

  test('a map is refused where it goes wrong: an unknown channel at its key, a bad size at its value, an empty map', () => {
    expect(issue('exit: any', 'output-limit: { consol: 1M }')).toMatchObject({ code: 'unknown-key', path: 'output-limit.consol', line: 4, col: 17, hint: 'Did you mean "console"?' });
    expect(issue('exit: any', 'output-limit:', '  virtio: 16MB')).toMatchObject({ code: 'invalid-value', path: 'output-limit.virtio', line: 5, col: 11, message: 'expected a size like 512K, 64M or 1G, got "16MB".' });
    expect(issue('exit: any', 'output-limit: {}')).toMatchObject({ code: 'invalid-value', path: 'output-limit', line: 4, col: 15, message: 'the map names no channel.' });
  });
});
