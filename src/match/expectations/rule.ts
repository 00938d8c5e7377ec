// The one interface the monitor decides every kind of expectation through: each kind's file says how
// its events match and count and what its verdicts are; the monitor keeps the order (`after:`), the
// timeouts, the timeline and the end of the run, the same for all kinds.
import type { Channel } from '../../scenario/model.js';
import type { FinishReason, Verdict } from '../verdict.js';
import type { ObservedEvent } from '../observed-event.js';

/** What an event did to its expectation; the monitor applies it. */
export type RuleOutcome =
  /** Counted; nothing decided yet. */
  | { kind: 'counted' }
  /** Reached its minimum count: what follows it may start after this event, though only the end decides it. */
  | { kind: 'met-for-now' }
  /** Decided; a pass was met by this event, and what follows it counts only what comes after. */
  | { kind: 'decided'; verdict: Verdict }
  /** Decided, and the run ends here (a never that appeared). */
  | { kind: 'ends-run'; verdict: Verdict; reason: FinishReason; cause: string };

/** Input a step writes to the guest the moment the expectation before it is met; written, it passes. */
export interface StepInput {
  channel: Channel;
  text: string;
  verdict: Verdict;
}

/** Why what comes `after` an expectation that was not met was never looked for. */
export function leaderUnmetReason(leader: number): string {
  return `not checked: expect[${leader}] (which must come first) was not met`;
}

/** How a run ended, for an expectation still pending then. */
export interface RunEnd {
  t: number;
  cause: string;
  /** Ended by the guest, by the verdicts being known or by the timeout: what held so far holds. */
  clean: boolean;
  /** The expectation it comes `after`, when that one was not met. */
  unmetLeader?: number;
}

export interface ExpectationRule {
  /** Whether a run waits for it to end early with everything met: not what only fails by appearing (never, counts that allow zero). */
  readonly awaited: boolean;
  /** Whether the event is one it looks at (the timeline names it with the event), decided or not. */
  matches(event: ObservedEvent): boolean;
  /** A matching event while it is pending and what it comes `after` has been met. */
  observe(event: ObservedEvent): RuleOutcome;
  /** The line or screen row of a matching event it matched, as the timeline shows it. */
  matchedText(event: ObservedEvent): string | undefined;
  /** Pending, yet holding so far (a count within its range): a clean end passes it, and a timeout spares it. */
  holdsSoFar(): boolean;
  /** Keeps the run going once everything else is decided, while `casesOver` is false (a selection of guest cases). */
  keepsRunOpen(casesOver: boolean): boolean;
  /** Its verdict when the run ends with it pending. */
  atEnd(end: RunEnd): Verdict;
  /** For timing, once it passed at `passedAt`: the time it holds since (a count: its last counted event). */
  timingPoint(passedAt: number): number;
  /** The line that met it, if one did: guest clocks read their time from it. */
  readonly metLine: string | undefined;
  /** A step that acts the moment what it comes `after` is met (a send), instead of matching events. */
  leaderMet?(t: number): StepInput;
}

/** What most kinds answer: awaited, matching no text, never holding before the end, timed when passed. */
export abstract class BaseRule implements ExpectationRule {
  readonly awaited: boolean = true;
  metLine: string | undefined;

  abstract matches(event: ObservedEvent): boolean;
  abstract observe(event: ObservedEvent): RuleOutcome;
  abstract atEnd(end: RunEnd): Verdict;

  matchedText(_event: ObservedEvent): string | undefined {
    return undefined;
  }

  holdsSoFar(): boolean {
    return false;
  }

  keepsRunOpen(_casesOver: boolean): boolean {
    return false;
  }

  timingPoint(passedAt: number): number {
    return passedAt;
  }
}
