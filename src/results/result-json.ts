// The JSON form of a parsed guest log: `vitest-guest parse --json` prints it, golden tests compare it.
//
//   { "cases": [ { "suite", "case", "status", "assertions": { "passed", "failed" },
//                  "failures": [ { "message", "file", "line" } ] } ],
//     "crashes": [ { "kind", "case", "lines" } ],
//     "summary": { "passed", "failed", "crashed", "skipped" } }
// `file`, `line` and a crash's `case` are left out when unknown.
import type { CaseFailure, CaseStatus, GuestCase } from './guest-case.js';
import type { GuestCrash } from './guest-crash.js';
import type { ResultEvent, ResultSummary } from './result-events.js';

export interface CaseJson {
  suite: string;
  case: string;
  status: CaseStatus;
  assertions: { passed: number; failed: number };
  failures: CaseFailure[];
}

export interface ResultJson {
  cases: CaseJson[];
  crashes: GuestCrash[];
  summary: { passed: number; failed: number; crashed: number; skipped: number };
}

/** Collects finished cases and completed crashes from parser events, in order. */
export class ResultJsonBuilder {
  private readonly cases: CaseJson[] = [];
  private readonly crashes: GuestCrash[] = [];

  add(events: readonly ResultEvent[]): void {
    for (const event of events) {
      if (event.type === 'case-finished') this.cases.push(caseJson(event.case));
      else if (event.type === 'crash-completed') this.crashes.push(event.crash);
    }
  }

  build(summary: ResultSummary): ResultJson {
    const { passed, failed, crashed, skipped } = summary;
    return { cases: this.cases, crashes: this.crashes, summary: { passed, failed, crashed, skipped } };
  }
}

function caseJson(done: GuestCase): CaseJson {
  return {
    suite: done.suite,
    case: done.case,
    status: done.status,
    assertions: { ...done.assertions },
    failures: done.failures.map(({ message, file, line }) => (file === undefined ? { message } : { message, file, line })),
  };
}
