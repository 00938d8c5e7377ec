// The kinds counted over a run (breakpoint and watch hits, guest test cases): a count with no upper
// bound passes once reached; an exact or bounded one holds for now and only the end of the run decides it.
import type { HitCount } from '../../scenario/model.js';
import type { Verdict } from '../verdict.js';
import { BaseRule, type RunEnd } from './rule.js';

export abstract class CountedRule extends BaseRule {
  /** Events counted so far. */
  hits = 0;
  /** Counts that allow zero only fail by events, like a never: the run does not wait for them. */
  override readonly awaited: boolean;
  /** When the last event was counted: a count passed at the end of the run holds since then. */
  private lastCountedAt: number | undefined;

  constructor(protected readonly count: HitCount) {
    super();
    this.awaited = count.min !== 0;
  }

  /** Counts an event at `t` (`n` of them: hits a plugin batch counted). */
  protected countAt(t: number, n = 1): void {
    this.hits += n;
    this.lastCountedAt = t;
  }

  protected get aboveMax(): boolean {
    return this.count.max !== undefined && this.hits > this.count.max;
  }

  override holdsSoFar(): boolean {
    return this.hits >= this.count.min && (this.count.max === undefined || this.hits <= this.count.max);
  }

  override timingPoint(passedAt: number): number {
    return this.lastCountedAt ?? passedAt;
  }

  atEnd(end: RunEnd): Verdict {
    if (this.holdsSoFar()) {
      return end.clean ? { status: 'passed', t: end.t, detail: `hit ${this.hits} time${this.hits === 1 ? '' : 's'} during the run` } : { status: 'failed', t: end.t, reason: `not counted to the end: ${end.cause}` };
    }
    return { status: 'failed', t: end.t, reason: this.shortReason(end) };
  }

  /** Why a count out of its range at the end failed. */
  protected abstract shortReason(end: RunEnd): string;
}
