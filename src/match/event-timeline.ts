// How an observed event shows on the run's timeline: every code, hit and guest case; a line or screen
// row only when it matched an expectation, named with the expectations it matched.
import type { TimelineEvent } from '../timeline/timeline.js';
import { stageOf } from '../scenario/stages.js';
import { caseId } from '../results/guest-case.js';
import type { ObservedEvent } from './observed-event.js';
import type { ExpectationRule } from './expectations/rule.js';

export function timelineEvent(event: ObservedEvent, matching: readonly { index: number; rule: ExpectationRule }[]): TimelineEvent | undefined {
  const matched = matching.map((m) => m.index);
  const { t } = event;
  switch (event.source) {
    case 'codes': return { kind: 'code', t, code: event.code!, stage: stageOf(event.code!) };
    case 'debugger': {
      const { where, vcpu, count } = event.hit!;
      return { kind: 'hit', t, where, vcpu, matched, ...(count !== undefined ? { count } : {}) };
    }
    case 'results': {
      const c = event.guestCase!;
      return { kind: 'case', t, format: c.format, id: caseId(c.suite, c.case), status: c.status, matched };
    }
    default:
      // A screen row is the one the first expectation matched.
      return matching[0] ? { kind: 'line', t, channel: event.source, text: matching[0].rule.matchedText(event) ?? '', matched } : undefined;
  }
}
