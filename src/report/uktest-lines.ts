// Pure formatting of uktest-style report lines, e.g. `test: hello->console "Hi" ..... PASSED`.
import type { CaseFailure, CaseStatus } from '../results/guest-case.js';

const VERDICT: Record<CaseStatus, string> = { passed: 'PASSED', failed: 'FAILED', crashed: 'CRASHED', skipped: 'SKIPPED' };

export function caseLine(suite: string, name: string, status: CaseStatus): string {
  return `test: ${suite}->${name} ..... ${VERDICT[status]}`;
}

/** Failure details under a case line, in uktest's older `: in file:line` form. */
export function failureLines(location: { file: string; line: number } | undefined, reason: string): string[] {
  const lines = location ? [`: in ${location.file}:${location.line}`] : [];
  return [...lines, ...reason.split('\n').map((l) => `: ${l}`)];
}

/** Under a scenario's first failed line: what it ran on, e.g. `: on aarch64 (virt)`. */
export function machineLine(machine: { arch: string; type: string }): string {
  return `: on ${machine.arch} (${machine.type})`;
}

/** A guest test case: its line, then `: in file:line` and the message of each failed assertion. */
export function guestCaseLines(guestCase: { suite: string; case: string; status: CaseStatus; failures: CaseFailure[]; measurement?: string }): string[] {
  const lines = [caseLine(guestCase.suite, guestCase.case, guestCase.status)];
  if (guestCase.measurement !== undefined) lines.push(`: measurement ${guestCase.measurement}`);
  for (const failure of guestCase.failures) {
    const location = failure.file !== undefined && failure.line !== undefined ? { file: failure.file, line: failure.line } : undefined;
    lines.push(...failureLines(location, failure.message));
  }
  return lines;
}

/** The closing line CI systems read: alone on its line; crashed and skipped only when nonzero. */
export function summaryLine(counts: { passed: number; failed: number; crashed?: number; skipped?: number }): string {
  const { passed, failed, crashed = 0, skipped = 0 } = counts;
  return `${passed} passed, ${failed} failed${crashed ? `, ${crashed} crashed` : ''}${skipped ? `, ${skipped} skipped` : ''}`;
}
