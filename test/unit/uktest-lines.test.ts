import { describe, expect, test } from 'vitest';
import { caseLine, failureLines, summaryLine } from '../../src/report/uktest-lines.js';

describe('caseLine', () => {
  test.each([
    ['passed', 'test: hello->console "Hi" ..... PASSED'],
    ['failed', 'test: hello->console "Hi" ..... FAILED'],
    ['crashed', 'test: hello->console "Hi" ..... CRASHED'],
    ['skipped', 'test: hello->console "Hi" ..... SKIPPED'],
  ] as const)('%s', (status, line) => {
    expect(caseLine('hello', 'console "Hi"', status)).toBe(line);
  });
});

describe('failureLines', () => {
  test('the location first, then each line of the reason', () => {
    expect(failureLines({ file: 'scenarios/x.yaml', line: 12 }, 'not seen: timeout\n  last line: boot')).toEqual([
      ': in scenarios/x.yaml:12',
      ': not seen: timeout',
      ':   last line: boot',
    ]);
  });

  test('without a location only the reason', () => {
    expect(failureLines(undefined, 'boom')).toEqual([': boom']);
  });
});

describe('summaryLine', () => {
  test('crashed and skipped only when nonzero', () => {
    expect(summaryLine({ passed: 3, failed: 1, skipped: 0 })).toBe('3 passed, 1 failed');
    expect(summaryLine({ passed: 3, failed: 1, skipped: 2 })).toBe('3 passed, 1 failed, 2 skipped');
    expect(summaryLine({ passed: 3, failed: 1, crashed: 1, skipped: 2 })).toBe('3 passed, 1 failed, 1 crashed, 2 skipped');
    expect(summaryLine({ passed: 0, failed: 0 })).toBe('0 passed, 0 failed');
  });
});
