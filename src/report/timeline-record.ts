// What a boot timeline page is drawn from: one scenario run, small and serialisable (it travels in task meta).
import type { StageName } from '../scenario/stages.js';
import type { TimelineEvent } from '../timeline/timeline.js';

/** A boot stage on port 0x80, host-clock ms since the resume; no `end` when the run ended in it. */
export interface StageSpan {
  stage: StageName;
  start: number;
  end?: number;
}

export interface TimelineRecord {
  scenario: string;
  /** The scenario's YAML file, as the page shows it. */
  file: string;
  verdict: 'passed' | 'failed';
  /** Wall time from resume to the end of the run, ms. */
  durationMs: number;
  stages: StageSpan[];
  /** The first and last events of the run (see `keptEvents`). */
  events: TimelineEvent[];
  /** Events left out between `events[after - 1]` and `events[after]`. */
  gap?: { after: number; count: number };
  /** Titles of the scenario's expectations, by index, so a mark can say which one it met. */
  expectations: string[];
  /** With `repeat: N`: each run's stages and length, for the spread of each stage. */
  runs?: { stages: StageSpan[]; durationMs: number }[];
}

/** How many events a record keeps: a page stays readable, and task meta small. */
export const MAX_RECORD_EVENTS = 300;

/**
 * The head (how it booted) and the tail (how it ended) of a run's events, like the Timeline itself;
 * `alreadyDropped` are events the Timeline left out, which were in the middle too.
 */
export function keptEvents(events: readonly TimelineEvent[], alreadyDropped: number, max = MAX_RECORD_EVENTS): Pick<TimelineRecord, 'events' | 'gap'> {
  if (events.length <= max) {
    return alreadyDropped > 0 ? { events: [...events], gap: { after: events.length >> 1, count: alreadyDropped } } : { events: [...events] };
  }
  const head = max >> 1;
  const tail = max - head;
  return { events: [...events.slice(0, head), ...events.slice(-tail)], gap: { after: head, count: events.length - max + alreadyDropped } };
}
