// The kinds one matching event meets (a line, a code, a screen row): they pass at the first, and fail
// at the end of a run that showed none.
import type { Verdict } from '../verdict.js';
import type { ObservedEvent } from '../observed-event.js';
import { BaseRule, leaderUnmetReason, type RuleOutcome, type RunEnd } from './rule.js';

export abstract class FirstMatchRule extends BaseRule {
  /** What met it, for its verdict: `console line "ready"`, `code 0x41`. */
  protected abstract describeMatch(event: ObservedEvent): string;

  observe(event: ObservedEvent): RuleOutcome {
    return { kind: 'decided', verdict: { status: 'passed', t: event.t, detail: `${this.describeMatch(event)} at +${event.t.toFixed(1)} ms` } };
  }

  override matchedText(event: ObservedEvent): string | undefined {
    return event.text;
  }

  atEnd(end: RunEnd): Verdict {
    return { status: 'failed', t: end.t, reason: end.unmetLeader !== undefined ? leaderUnmetReason(end.unmetLeader) : `not seen: ${end.cause}` };
  }
}
