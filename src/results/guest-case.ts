// One test case as the guest reported it: the model both console parsers (uktest, KTAP) produce.

/** `crashed`: the case started but the guest crashed, or its output stopped, before the case had a result. */
export const CASE_STATUSES = ['passed', 'failed', 'crashed', 'skipped'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type GuestFormat = 'uktest' | 'ktap';

export interface CaseFailure {
  /** What the guest said about the failure, e.g. ``expected `ret` to be 0 but was -1``; may span lines. */
  message: string;
  /** Source file as the guest printed it (uktest prints a basename, KUnit a path). */
  file?: string;
  line?: number;
}

export interface GuestCase {
  /** `uktest`, `ktap`, or the name of a scenario's own line format. */
  format: string;
  suite: string;
  case: string;
  status: CaseStatus;
  /** Assertions the guest printed. KTAP prints none that passed, so there `passed` stays 0. */
  assertions: { passed: number; failed: number };
  failures: CaseFailure[];
  /** A figure the guest printed with the result (line formats' `measurement` group), as printed. */
  measurement?: string;
}

/** A case listing more failures than this keeps the first ones only; the count in `assertions` stays exact. */
export const MAX_FAILURES_PER_CASE = 32;

/** The `suite->case` name uktest prints, also used to say which case a crash interrupted. */
export function caseId(suite: string, name: string): string {
  return `${suite}->${name}`;
}
