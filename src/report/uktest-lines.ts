// Pure formatting of uktest-style report lines, e.g. `test: hello->console "Hi" ..... PASSED`.
import type { CaseStatus } from '../results/guest-case.js';

const VERDICT: Record<CaseStatus, string> = { passed: 'PASSED', failed: 'FAILED', crashed: 'CRASHED', skipped: 'SKIPPED' };

export function caseLine(suite: string, name: string, status: CaseStatus): string {
  return `test: ${suite}->${name} ..... ${VERDICT[status]}`;
}

/** Failure details under a case line, in uktest's older `: in file:line` form. */
export function failureLines(location: { file: string; line: number } | undefined, reason: string): string[] {
  const lines = location ? [`: in ${location.file}:${location.line}`] : [];
  return [...lines, ...reason.split('\n').map((l) => `: ${l}`)];
}

/** The closing line CI systems read: alone on its line; crashed and skipped only when nonzero. */
export function summaryLine(counts: { passed: number; failed: number; crashed?: number; skipped?: number }): string {
  const { passed, failed, crashed = 0, skipped = 0 } = counts;
  return `${passed} passed, ${failed} failed${crashed ? `, ${crashed} crashed` : ''}${skipped ? `, ${skipped} skipped` : ''}`;
}
