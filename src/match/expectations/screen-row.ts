// `screen:`: a row of a channel drawn as a screen matching the pattern, rows matched one by one.
import type { Expectation, Pattern } from '../../scenario/model.js';
import type { ObservedEvent } from '../observed-event.js';
import { describeScreenMatch, matchingRow, screenMatcher } from '../screen-match.js';
import { FirstMatchRule } from './first-match.js';

export class ScreenRowRule extends FirstMatchRule {
  readonly matches: (event: ObservedEvent) => boolean;
  private readonly pattern: Pattern;

  constructor(expectation: Extract<Expectation, { kind: 'screen' }>) {
    super();
    this.pattern = expectation.pattern;
    this.matches = screenMatcher(expectation.channel, expectation.pattern);
  }

  override matchedText(event: ObservedEvent): string | undefined {
    return matchingRow(this.pattern, event.rows!)?.text;
  }

  protected describeMatch(event: ObservedEvent): string {
    return describeScreenMatch(event.source, this.pattern, event.rows!);
  }
}
