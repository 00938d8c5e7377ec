// Scenario patterns match in bounded time: V8 falls back to its linear-time engine, and patterns it
// cannot run are refused with what to write instead.
import { describe, expect, test } from 'vitest';
import { userRegex, userRegexProblem } from '../../src/regex/user-regex.js';
import { spellOutIgnoreCase } from '../../src/regex/ignore-case.js';
import { compilePattern } from '../../src/match/pattern.js';
import { LineFormatParser } from '../../src/results/line-format.js';
import { createGuestResultParser } from '../../src/results/guest-result-parser.js';

/** Runs a match and returns its result and how long it took. */
function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

// Each took minutes or more with backtracking alone (^(a+)+$ on 32 a's: the worker of issue 13). The last
// column is the match JavaScript's own engine finds, where it finds one.
const PATHOLOGICAL: [string, string, string, string | null][] = [
  ['^(a+)+$', '', `${'a'.repeat(32)}!`, null],
  ['(a|a)*$', '', `${'a'.repeat(40)}!`, ''],
  ['(a|aa)+$', '', `${'a'.repeat(50)}!`, null],
  ['(.*a){16}', '', `${'a'.repeat(15)}${'b'.repeat(3000)}`, null],
  ['^(\\w+\\s?)*$', '', `${'word '.repeat(40)}!`, null],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', '', `${'a'.repeat(64)}!`, null],
  ['(x+x+)+y', '', 'x'.repeat(50), null],
  ['^(a+)+$', 'i', `${'A'.repeat(40)}!`, null],
  ['^(\\d+)*\\.(\\d+)*$', 'm', `${'1'.repeat(45)}x`, null],
  ['((ab)*)*c', 's', `${'ab'.repeat(30)}!`, null],
  ['^(?<case>(\\w|\\w\\w)+): (?<result>PASS|FAIL)$', '', `${'w'.repeat(48)}: PASSED!`, null],
];

describe('pathological patterns match in bounded time', () => {
  test.each(PATHOLOGICAL)('/%s/%s', (source, flags, line, match) => {
    expect(userRegexProblem(source, flags)).toBeUndefined();
    const regex = userRegex(source, flags);
    const { result, ms } = timed(() => regex.exec(line));
    expect(result?.[0] ?? null).toBe(match);
    expect(ms).toBeLessThan(2000);
  });

  test('the same answers as JavaScript\'s engine where it is quick', () => {
    for (const [source, flags] of PATHOLOGICAL) {
      for (const line of ['aaa', 'aaa!', 'word word', 'x y', 'ababc', '11.22', 'Aaaa', 'ww: PASS', 'aab', 'xxy']) {
        expect(userRegex(source, flags).exec(line)?.slice(), `/${source}/${flags} on ${line}`).toEqual(new RegExp(source, flags).exec(line)?.slice());
      }
    }
  });

  test('every matcher a scenario pattern reaches goes through it: console patterns and formats: lines', () => {
    const line = `${'a'.repeat(32)}!`;
    const console = compilePattern({ kind: 'regex', source: '^(a+)+$', flags: '' });
    expect(timed(() => console(line)).ms).toBeLessThan(2000);
    const format = new LineFormatParser({ name: 'f', source: '^(?<case>(a+)+)(?<result>X)$', flags: '', words: { X: 'passed' } });
    expect(timed(() => format.feedLine(line)).ms).toBeLessThan(2000);
  });

  test('internal patterns still work with the fallback on: crash markers and KTAP lines', () => {
    userRegex('^(a+)+$', '');
    const parser = createGuestResultParser();
    const events = ['KTAP version 1', '1..1', 'ok 1 example', 'Kernel panic - not syncing: VFS: Unable to mount root fs'].flatMap((l) => parser.feedLine(l));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['case-finished', 'crash-detected']));
  });
});

describe('patterns the linear-time engine cannot run are refused, saying why and what to write', () => {
  test.each([
    ['^(?=.*ok).*$', '', 'lookahead or lookbehind', 'never: expectation'],
    ['(?<!not )ok', '', 'lookahead or lookbehind', 'never: expectation'],
    ['(\\w+) \\1', '', 'backreference', 'Write the repeated text out'],
    ['(?<w>\\w+) \\k<w>', '', 'backreference', 'Write the repeated text out'],
    ['.{0,80}done', '', 'more than 16 times', '.* for .{0,80}'],
    ['[0-9a-f]{32}', '', 'more than 16 times', '[0-9a-f]{16}[0-9a-f]{16}'],
    ['(?:a{4}){5}', '', 'more than 16 times', 'split the count'],
    ['caf\\u00e9', 'u', 'the u flag is not allowed', 'Remove u'],
  ])('/%s/%s', (source, flags, why, instead) => {
    const problem = userRegexProblem(source, flags)!;
    expect(problem.message).toContain(why);
    expect(problem.hint).toContain(instead);
    expect(() => userRegex(source, flags)).toThrow(why);
  });

  test('a pattern that does not compile says so, as before', () => {
    expect(userRegexProblem('(unclosed', '')!.message).toMatch(/^the regular expression does not compile: Invalid regular expression: .*Unterminated group\.$/);
  });

  test('escaped look-alikes are not refused: \\(?= is text, \\\\1 a backslash and a 1, [{] no count', () => {
    for (const source of ['\\(?=x\\)', '\\\\1', 'a[{]17}', '\\{0,80\\}']) expect(userRegexProblem(source, '')).toBeUndefined();
    expect(userRegex('\\\\1', '').test('\\1')).toBe(true);
  });

  test('counts up to 16 and unbounded repetition are fine', () => {
    for (const source of ['[0-9a-f]{16}', '\\d{1,3}', 'a{0,16}', '(?:abcdefghij){10}', 'a+b*c?']) expect(userRegexProblem(source, '')).toBeUndefined();
  });
});

describe('the i flag, spelled out as sets for the linear-time engine', () => {
  test('letters, escapes and sets', () => {
    expect(spellOutIgnoreCase('ab1')).toBe('[\\u0041\\u0061][\\u0042\\u0062]1');
    expect(spellOutIgnoreCase('\\d+\\.\\s\\bx')).toBe('\\d+\\.\\s\\b[\\u0058\\u0078]');
    expect(spellOutIgnoreCase('[a-c]')).toBe('[a-c\\u0041\\u0042\\u0043]');
    expect(spellOutIgnoreCase('(?<word>ok)')).toBe('(?<word>[\\u004f\\u006f][\\u004b\\u006b])');
  });

  const SOURCES = ['done \\d+', '^Kernel panic', '[a-f0-9]+', '[^a-z]+', '[\\w-]+', 'stra(ss|ße)', 'ΣΑΣ', 'é+', '\\x41\\u0062', '[\\x41-\\x43]', '\\cJ', 'k', 'ı+', 'ſ', '(?<case>\\w+): (?<result>pass|fail)', '[\\d-z]', '\\B', 'ok.', '[\\b]', '\\0', '[\\101]'];
  const LINES = ['DONE 12', 'kernel PANIC', 'Kernel panic', 'ABCDEF', 'xyzXYZ!', 'Foo-BAR_1', 'STRASSE', 'straße', 'σας ΣΑΣ ςας', 'ÉÉé', 'ab AB', 'aBC', '\n', 'K', 'k', '\u212a', 'ıI', 'iİ', 's S ſ', 'Test: PASS', 'd-z', 'x', 'OK!', '\b', '\0', 'A'];

  test('matches exactly what the i flag matches', () => {
    for (const source of SOURCES) {
      for (const flags of ['i', 'im', 'is']) {
        const native = new RegExp(source, flags);
        const spelled = userRegex(source, flags);
        for (const line of LINES) expect(spelled.exec(line)?.slice(), `/${source}/${flags} on ${JSON.stringify(line)}`).toEqual(native.exec(line)?.slice());
      }
    }
  });
});
