// `console: ...` and the other text channels: a line matching the pattern.
import type { Channel, Expectation, Pattern } from '../../scenario/model.js';
import type { ObservedEvent } from '../observed-event.js';
import { compilePattern } from '../pattern.js';
import { FirstMatchRule } from './first-match.js';
import type { RuleOutcome } from './rule.js';

/** Met by a line of `channel` the pattern matches. */
export function lineMatcher(channel: Channel, pattern: Pattern): (event: ObservedEvent) => boolean {
  const predicate = compilePattern(pattern);
  return (event) => event.source === channel && event.text !== undefined && predicate(event.text);
}

export class TextLineRule extends FirstMatchRule {
  readonly matches: (event: ObservedEvent) => boolean;

  constructor(expectation: Extract<Expectation, { kind: 'text' }>) {
    super();
    this.matches = lineMatcher(expectation.channel, expectation.pattern);
  }

  override observe(event: ObservedEvent): RuleOutcome {
    this.metLine = event.text;
    return super.observe(event);
  }

  protected describeMatch(event: ObservedEvent): string {
    return `${event.source} line ${JSON.stringify(event.text)}`;
  }
}
