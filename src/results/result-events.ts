// What the guest result parser reports while it reads console lines.
import type { GuestCase } from './guest-case.js';
import type { CrashKind, GuestCrash } from './guest-crash.js';

export type ResultEvent =
  /** A case has its final status. */
  | { type: 'case-finished'; case: GuestCase }
  /** A crash marker line was seen: sent at once, so a runner can stop the guest without waiting for the dump. */
  | { type: 'crash-detected'; kind: CrashKind; case?: string; line: string }
  /** The crash's dump ended (end marker, a line that is not part of it, the line cap, or the end of output). */
  | { type: 'crash-completed'; crash: GuestCrash }
  /** Something odd in the output that did not change a result, e.g. a printed summary that disagrees. */
  | { type: 'diagnostic'; message: string };

/** What most lines produce: shared, so reading a line that completes nothing allocates no array. */
export const NO_EVENTS: readonly ResultEvent[] = Object.freeze([]);

export interface ResultSummary {
  passed: number;
  failed: number;
  crashed: number;
  skipped: number;
  /** Crashes detected, including those past `maxCrashes` whose lines were not kept. */
  crashes: number;
  /** Of those, the ones the guest cannot survive (see isFatal): a panic, any Unikraft crash. */
  fatalCrashes: number;
  /** Crashes past `maxCrashes`: counted, but no events and no lines. */
  droppedCrashes: number;
}
