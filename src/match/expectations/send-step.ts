// `send:`: input written to the guest the moment the expectation before it is met (an interactive step).
import type { Channel, Expectation } from '../../scenario/model.js';
import type { Verdict } from '../verdict.js';
import { BaseRule, leaderUnmetReason, type RuleOutcome, type RunEnd, type StepInput } from './rule.js';

export class SendStepRule extends BaseRule {
  constructor(private readonly expectation: Extract<Expectation, { kind: 'send' }>) {
    super();
  }

  /** A step takes no events: it acts when its turn comes (leaderMet). */
  matches(): boolean {
    return false;
  }

  observe(): RuleOutcome {
    throw new Error(`expect[${this.expectation.index}] is a send: no event matches it`);
  }

  leaderMet(t: number): StepInput {
    const { channel, text } = this.expectation;
    return { channel, text, verdict: { status: 'passed', t, detail: `sent at +${t.toFixed(1)} ms` } };
  }

  atEnd(end: RunEnd): Verdict {
    return { status: 'failed', t: end.t, reason: end.unmetLeader !== undefined ? leaderUnmetReason(end.unmetLeader) : `not sent: ${end.cause}` };
  }
}

/**
 * The text expectations sends wait on, by index: prompts, which end without a newline (`/ # `), so
 * they also look at the line still being printed.
 */
export function promptsOf(expectations: readonly Expectation[], snapshotPoint?: number): { index: number; channel: Channel }[] {
  const prompts = expectations.flatMap((e) => {
    const waited = e.kind === 'send' && e.after !== undefined ? expectations[e.after] : undefined;
    return waited?.kind === 'text' ? [{ index: waited.index, channel: waited.channel }] : [];
  });
  // A snapshot taken at a text is taken where the guest waits, often at a prompt: the run that saves it
  // boots the expectations up to it alone, with no send after it to say so.
  const point = snapshotPoint === undefined ? undefined : expectations[snapshotPoint];
  if (point?.kind === 'text' && !prompts.some((p) => p.index === point.index)) prompts.push({ index: point.index, channel: point.channel });
  return prompts;
}
