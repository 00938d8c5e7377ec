// `breakpoint:` and `watch:`: stops of the guest at a point, counted, each one's register and memory
// checks holding.
import type { Expectation, HitCount } from '../../scenario/model.js';
import type { ObservedEvent } from '../observed-event.js';
import { countText } from '../expectation-title.js';
import { CountedRule } from './counted.js';
import type { RuleOutcome, RunEnd } from './rule.js';

export class DebuggerHitRule extends CountedRule {
  readonly matches: (event: ObservedEvent) => boolean;

  constructor(expectation: Extract<Expectation, { kind: 'breakpoint' | 'watch' }>) {
    super(expectation.count);
    const { index } = expectation;
    const vcpu = expectation.kind === 'breakpoint' ? expectation.vcpu : undefined;
    this.matches = (event) => event.source === 'debugger' && event.hit!.expectations.includes(index) && (vcpu === undefined || event.hit!.vcpu === vcpu);
  }

  /**
   * A hit decides at once when it breaks the count (above max) or a check, or when it reaches a count
   * with no upper bound; an exact or bounded count can only be decided when the run ends.
   */
  observe(event: ObservedEvent): RuleOutcome {
    const hit = event.hit!;
    const batch = hit.count ?? 1;
    this.countAt(event.t, batch);
    const { hits, count } = this;
    // A plugin batch's hits happened since its previous batch: the time is when they were counted.
    const at = `${hit.where} on vCPU ${hit.vcpu}${hit.count !== undefined ? ', counted by' : ' at'} +${event.t.toFixed(1)} ms`;
    if (hit.checkFailure) return { kind: 'decided', verdict: { status: 'failed', t: event.t, reason: `hit ${hits} (${at}): ${hit.checkFailure}` } };
    if (this.aboveMax) {
      const which = batch > 1 ? `hits ${hits - batch + 1}-${hits} were` : `hit ${hits} was`;
      return { kind: 'decided', verdict: { status: 'failed', t: event.t, reason: `hit ${hits} time${hits === 1 ? '' : 's'}, expected ${expectedHits(this.count)}; ${which} ${at}` } };
    }
    if (count.max === undefined && hits >= count.min) return { kind: 'decided', verdict: { status: 'passed', t: event.t, detail: `hit ${hits === 1 ? 'once' : `${hits} times`}, last ${at}` } };
    return hits >= count.min && hits - batch < count.min ? { kind: 'met-for-now' } : { kind: 'counted' };
  }

  protected shortReason(end: RunEnd): string {
    return end.clean ? `hit ${this.hits} time${this.hits === 1 ? '' : 's'}, expected ${expectedHits(this.count)} (${end.cause})` : `not counted: ${end.cause}`;
  }
}

/** `3 times`, `at least once`: the count as the object of "expected". */
function expectedHits(count: HitCount): string {
  return countText(count).replace(/^hit /, '');
}
