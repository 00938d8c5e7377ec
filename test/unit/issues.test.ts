import { describe, expect, test } from 'vitest';
import { formatIssue, joinPath, type ScenarioIssue } from '../../src/scenario/issues.js';

const issue: ScenarioIssue = {
  code: 'unknown-key', file: 'scenarios/x.yaml', line: 6, col: 5, path: 'expect[0].consol',
  message: 'unknown key "consol".', hint: 'Did you mean "console"?',
};

describe('formatIssue', () => {
  test('file:line:col: path: message hint', () => {
    expect(formatIssue(issue)).toBe('scenarios/x.yaml:6:5: expect[0].consol: unknown key "consol". Did you mean "console"?');
  });

  test('no path and no hint leave no stray separators', () => {
    expect(formatIssue({ ...issue, path: '', hint: undefined })).toBe('scenarios/x.yaml:6:5: unknown key "consol".');
  });
});

describe('joinPath', () => {
  test('keys join with dots, indexes with brackets', () => {
    expect(joinPath('', 'machine')).toBe('machine');
    expect(joinPath('machine', 'type')).toBe('machine.type');
    expect(joinPath('expect', 3)).toBe('expect[3]');
    expect(joinPath(joinPath('expect', 3), 'after')).toBe('expect[3].after');
  });
});
