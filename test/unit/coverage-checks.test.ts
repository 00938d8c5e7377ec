// The checks of coverage: judged on a measured coverage, the summary line, and the messages a failure gives.
import { describe, expect, test } from 'vitest';
import type { GuestCoverage } from '../../src/coverage/guest-coverage.js';
import { coverageSummary, judgeCoverageCheck } from '../../src/coverage/coverage-checks.js';

const at = { file: 's.yaml', line: 1, col: 1 };
const fn = (name: string, ran: boolean, entries = ran ? 1 : 0) => ({ name, start: 0x1000n, ran, entries, source: undefined });
const COVERAGE: GuestCoverage = {
  image: 'kernel.elf',
  functions: [
    fn('uk_streambuf_init', true), fn('uk_streambuf_read', true, 1234), fn('uk_streambuf_write', false),
    ...Array.from({ length: 12 }, (_, i) => fn(`net_${String(i).padStart(2, '0')}`, false)),
    fn('panic', false), fn('BUG_on_fail', true, 2),
  ],
  lines: new Map([['/src/a.c', new Map([[1, 3], [2, 0], [3, 1]])]]),
};

describe('coverage checks', () => {
  test('a share of a glob: met at or above its minimum, with the figure', () => {
    expect(judgeCoverageCheck({ kind: 'functions', glob: 'uk_streambuf_*', minPercent: 60, location: at }, COVERAGE))
      .toEqual({ passed: true, detail: '2 of 3 functions matching uk_streambuf_* ran (66.7%)' });
  });

  test('below it: what ran, what was expected, and what never ran', () => {
    expect(judgeCoverageCheck({ kind: 'functions', glob: 'uk_streambuf_*', minPercent: 100, location: at }, COVERAGE))
      .toEqual({ passed: false, reason: '2 of 3 functions matching uk_streambuf_* ran (66.7%), all of them expected; never ran: uk_streambuf_write' });
    expect(judgeCoverageCheck({ kind: 'functions', glob: 'uk_streambuf_*', minPercent: 66.7, location: at }, COVERAGE))
      .toEqual({ passed: false, reason: '2 of 3 functions matching uk_streambuf_* ran (66.67%), at least 66.7% expected; never ran: uk_streambuf_write' });
  });

  test('never-run functions are listed ten at most, then how many more', () => {
    const outcome = judgeCoverageCheck({ kind: 'functions', glob: 'net_*', minPercent: 50, location: at }, COVERAGE);
    expect(outcome).toEqual({ passed: false, reason: '0 of 12 functions matching net_* ran (0.0%), at least 50% expected; never ran: net_00, net_01, net_02, net_03, net_04, net_05, net_06, net_07, net_08, net_09 and 2 more' });
  });

  test('never: passes when none ran, fails naming those that did and how often', () => {
    expect(judgeCoverageCheck({ kind: 'never', globs: ['panic'], location: at }, COVERAGE)).toEqual({ passed: true, detail: 'none of the 1 functions matching panic ran' });
    expect(judgeCoverageCheck({ kind: 'never', globs: ['panic', 'BUG*'], location: at }, COVERAGE))
      .toEqual({ passed: false, reason: 'BUG_on_fail (entered 2 times) ran, and must never run' });
  });

  test('a glob that matches nothing fails: a check naming nothing could never fail', () => {
    expect(judgeCoverageCheck({ kind: 'never', globs: ['oops'], location: at }, COVERAGE))
      .toEqual({ passed: false, reason: '`oops` matches no function of kernel.elf: check the name (a check that names nothing cannot fail)' });
    expect(judgeCoverageCheck({ kind: 'functions', glob: 'nope*', minPercent: 100, location: at }, COVERAGE))
      .toMatchObject({ passed: false, reason: expect.stringMatching(/^`nope\*` matches no function of kernel\.elf/) });
  });

  test('the summary: functions, and lines when there are any, with thousands separators', () => {
    expect(coverageSummary(COVERAGE)).toBe('coverage: 3 of 17 functions (17.6%), 2 of 3 lines (66.7%)');
    expect(coverageSummary({ ...COVERAGE, lines: new Map(), functions: Array.from({ length: 5678 }, (_, i) => fn(`f${i}`, i < 1234)) }))
      .toBe('coverage: 1,234 of 5,678 functions (21.7%)');
  });
});
