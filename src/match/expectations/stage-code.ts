// `code:` and `stage:`: a stage code (a byte on the codes channel), exact or any of a stage's range.
import type { Expectation } from '../../scenario/model.js';
import { codeMatches, formatCode, type CodeMatch } from '../../scenario/stages.js';
import type { ObservedEvent } from '../observed-event.js';
import { FirstMatchRule } from './first-match.js';

/** Met by a stage code the match takes. */
export function codeMatcher(match: CodeMatch): (event: ObservedEvent) => boolean {
  return (event) => event.source === 'codes' && codeMatches(match, event.code!);
}

export class StageCodeRule extends FirstMatchRule {
  readonly matches: (event: ObservedEvent) => boolean;

  constructor(expectation: Extract<Expectation, { kind: 'code' | 'stage' }>) {
    super();
    this.matches = codeMatcher(expectation.kind === 'code' ? expectation.code : expectation.stage);
  }

  protected describeMatch(event: ObservedEvent): string {
    return `code ${formatCode(event.code!)}`;
  }
}
