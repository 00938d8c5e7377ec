// `never:`: a line, a screen row or a stage code that fails the run the moment it appears.
import type { Expectation } from '../../scenario/model.js';
import { describeCode, formatCode } from '../../scenario/stages.js';
import type { Verdict } from '../verdict.js';
import type { ObservedEvent } from '../observed-event.js';
import { describePattern } from '../pattern.js';
import { describeRowMatch, matchingRow, screenMatcher } from '../screen-match.js';
import { BaseRule, type RuleOutcome, type RunEnd } from './rule.js';
import { lineMatcher } from './text-line.js';
import { codeMatcher } from './stage-code.js';

export class NeverRule extends BaseRule {
  override readonly awaited = false;
  readonly matches: (event: ObservedEvent) => boolean;

  constructor(private readonly expectation: Extract<Expectation, { kind: 'never' }>) {
    super();
    const e = expectation;
    this.matches = e.channel === 'codes' ? codeMatcher(e.code) : e.screen ? screenMatcher(e.channel, e.pattern) : lineMatcher(e.channel, e.pattern);
  }

  observe(event: ObservedEvent): RuleOutcome {
    const e = this.expectation;
    const [what, seen] = e.channel === 'codes' ? [describeCode(e.code), formatCode(event.code!)]
      : [describePattern(e.pattern), event.rows ? describeRowMatch(e.pattern, event.rows) : JSON.stringify(event.text)];
    return {
      kind: 'ends-run',
      verdict: { status: 'failed', t: event.t, reason: `${what} appeared on ${e.channel} at +${event.t.toFixed(1)} ms: ${seen}` },
      reason: 'never-matched',
      cause: `a never pattern matched (expect[${e.index}], line ${e.location.line})`,
    };
  }

  override matchedText(event: ObservedEvent): string | undefined {
    const e = this.expectation;
    if (e.channel === 'codes') return undefined;
    return event.rows ? matchingRow(e.pattern, event.rows)?.text : event.text;
  }

  /** A run seen to its end without it passes it; one broken off did not look everywhere. */
  atEnd(end: RunEnd): Verdict {
    return end.clean ? { status: 'passed', t: end.t, detail: `did not appear during the ${end.t.toFixed(1)} ms run` } : { status: 'failed', t: end.t, reason: `not checked to the end: ${end.cause}` };
  }
}
