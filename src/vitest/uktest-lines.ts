// Pure formatting of uktest-style report lines, e.g. `test: hello->console "Hi" ..... PASSED`.

export type CaseStatus = 'passed' | 'failed';

const VERDICT: Record<CaseStatus, string> = { passed: 'PASSED', failed: 'FAILED' };

export function caseLine(suite: string, name: string, status: CaseStatus): string {
  return `test: ${suite}->${name} ..... ${VERDICT[status]}`;
}

/** Failure details under a case line, in uktest's older `: in file:line` form. */
export function failureLines(location: { file: string; line: number } | undefined, reason: string): string[] {
  const lines = location ? [`: in ${location.file}:${location.line}`] : [];
  return [...lines, ...reason.split('\n').map((l) => `: ${l}`)];
}

/** The closing line CI systems read: alone on its line. */
export function summaryLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
