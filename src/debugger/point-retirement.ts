// When a breakpoint or watchpoint leaves the guest: once none of its further hits can change anything, every
// stop it would still cause only slows the guest down (~2,500 stops a second under TCG).
import type { Fault } from '../scenario/model.js';
import type { CodePoint } from './debug-plan.js';
import { lastSelectedCall } from './fault-selector.js';

/**
 * Whether further hits of expectation `index` may still change its verdict or anything read from it (a
 * timing point, what an `after:` waits on): see ScenarioMonitor.stillCounts.
 */
export type StillCounts = (index: number) => boolean;

/**
 * A code point is needed while an expectation on it still counts or a fault on it may still be injected.
 * A fault's calls are counted over all its functions (a glob), so `calls` is the fault's own count so far.
 */
export function codePointNeeded(point: CodePoint, stillCounts: StillCounts, calls: (fault: Fault) => number): boolean {
  return point.expectations.some(({ expectation }) => stillCounts(expectation.index))
    || point.faults.some((fault) => {
      const last = lastSelectedCall(fault.hits);
      return last === undefined || calls(fault) < last;
    });
}
