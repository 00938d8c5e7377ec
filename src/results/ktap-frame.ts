// A KTAP test that has (or may have) subtests, while its output is being read, and the cases it yields.
import { caseId, MAX_FAILURES_PER_CASE, type CaseFailure, type CaseStatus, type GuestCase } from './guest-case.js';
import type { KtapLine } from './ktap-lines.js';

type ResultLine = Extract<KtapLine, { kind: 'result' }>;

/** Named diagnostics kept per frame (`# case: try faulted ...`), for a failed case without KUnit failure lines. */
const MAX_NOTES = 4;
/** Crashed cases reported for one frame's missing results; a bigger plan is a garbled line, not real tests. */
export const MAX_MISSING_RESULTS = 256;

export interface KtapFrame {
  /** From `# Subtest:` or its result line; 'main' for the top level, '' while unknown. */
  name: string;
  /** Indentation of its version or `# Subtest:` line; its own results and plan are indented the same. */
  indent: number;
  /** From the plan line. */
  expected?: number;
  /** Subtests finished: a leaf result or a closed nested frame. */
  results: number;
  /** Opened by a version line: a `# Subtest:` line at the same indentation names it. */
  awaitingName: boolean;
  /** Opened by `# Subtest:`: a version line at the same indentation is its own. */
  awaitingVersion: boolean;
  /** KUnit failures printed since the last result here: they belong to the next one. */
  failures: CaseFailure[];
  failureCount: number;
  /** The case named by the last KUnit failure line: the one running, if the guest dies now. */
  failingCase?: string;
  notes: { name: string; text: string }[];
}

export function newFrame(name: string, indent: number, opener: 'version' | 'subtest' | 'main'): KtapFrame {
  return {
    name, indent, results: 0, awaitingName: opener === 'version', awaitingVersion: opener === 'subtest',
    failures: [], failureCount: 0, notes: [],
  };
}

export function addFailure(frame: KtapFrame, caseName: string, failure: CaseFailure): boolean {
  frame.failureCount++;
  frame.failingCase = caseName;
  if (frame.failures.length >= MAX_FAILURES_PER_CASE) return false;
  frame.failures.push(failure);
  return true;
}

export function addNote(frame: KtapFrame, name: string, text: string): void {
  if (frame.notes.length >= MAX_NOTES) frame.notes.shift();
  frame.notes.push({ name, text });
}

/** A nested test that turned out to have no subtests hands what was printed inside it to its parent. */
export function adoptPending(parent: KtapFrame, child: KtapFrame): void {
  parent.failures.push(...child.failures.slice(0, MAX_FAILURES_PER_CASE - parent.failures.length));
  parent.failureCount += child.failureCount;
  parent.failingCase = child.failingCase ?? parent.failingCase;
  for (const note of child.notes) addNote(parent, note.name, note.text);
}

/**
 * A result line in `frame` is a case of suite `frame.name`. SKIP is `skipped`; TODO and XFAIL mark a test
 * expected to fail, so `not ok` with them is `skipped` too (TAP's reading; kunit_parser counts it failed).
 */
export function leafCase(frame: KtapFrame, result: ResultLine): GuestCase {
  const name = result.name || `#${result.number}`;
  const expectedToFail = result.directive === 'TODO' || result.directive === 'XFAIL';
  const status: CaseStatus = result.directive === 'SKIP' || (expectedToFail && !result.ok) ? 'skipped' : result.ok ? 'passed' : 'failed';
  const failures = status === 'failed' ? failuresOf(frame, name, result) : [];
  const done = ktapCase(frame.name, name, status, frame.failureCount, failures);
  clearPending(frame);
  frame.results++;
  return done;
}

/**
 * Cases for results the frame planned but never printed; the first takes any pending KUnit failures.
 * `open`: results between those printed and the missing ones that are accounted for otherwise (a nested
 * test still open reports its own missing results).
 */
export function missingCases(frame: KtapFrame, missing: number, open = 0): GuestCase[] {
  const cases: GuestCase[] = [];
  for (let i = 0; i < Math.min(missing, MAX_MISSING_RESULTS); i++) {
    const number = frame.results + open + 1 + i;
    const name = (i === 0 && frame.failingCase) || `#${number}`;
    cases.push(ktapCase(frame.name, name, 'crashed', i === 0 ? frame.failureCount : 0, i === 0 ? frame.failures : []));
  }
  clearPending(frame);
  return cases;
}

/** `suite->case` a crash now would interrupt: the next result of the innermost frame. */
export function nextCaseName(frame: KtapFrame, topLevel: boolean): string | undefined {
  // All planned results are in (only the closing line is to come), or the top level has no plan to tell.
  if (frame.expected === undefined ? topLevel : frame.results >= frame.expected) return undefined;
  return caseId(frame.name, frame.failingCase ?? `#${frame.results + 1}`);
}

function failuresOf(frame: KtapFrame, name: string, result: ResultLine): CaseFailure[] {
  const failures = [...frame.failures];
  if (failures.length === 0) failures.push(...frame.notes.filter((n) => n.name === name).map((n) => ({ message: n.text })));
  if (result.directive === 'TIMEOUT' || result.directive === 'ERROR') failures.unshift({ message: `${result.directive} ${result.detail}`.trim() });
  return failures;
}

function ktapCase(suite: string, name: string, status: CaseStatus, failed: number, failures: CaseFailure[]): GuestCase {
  return { format: 'ktap', suite, case: name, status, assertions: { passed: 0, failed }, failures };
}

function clearPending(frame: KtapFrame): void {
  frame.failures = [];
  frame.failureCount = 0;
  frame.failingCase = undefined;
  frame.notes = [];
}
