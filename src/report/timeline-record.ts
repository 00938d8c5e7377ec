// What a boot timeline page is drawn from: one scenario run, small and serialisable (it travels in task meta).
import type { StageName } from '../scenario/stages.js';
import type { Machine } from '../scenario/model.js';
import type { TimelineEvent } from '../timeline/timeline.js';
import { UNDECIDED_REASON, type Verdict } from '../match/verdict.js';

/** A boot stage from the stage codes, host-clock ms since the resume; no `end` when the run ended in it. */
export interface StageSpan {
  stage: StageName;
  start: number;
  end?: number;
}

export interface TimelineRecord {
  scenario: string;
  /** The scenario's YAML file, as the page shows it. */
  file: string;
  /** The architecture and machine type it ran on. */
  machine: Pick<Machine, 'arch' | 'type'>;
  verdict: 'passed' | 'failed';
  /** On a failed record: why, as its first failure said it (see firstFailure). */
  failure?: TimelineFailure;
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
  /** With `profile:`: the functions that executed the most instructions, over the whole run and in each stage. */
  profiles?: ProfileChart[];
}

/** A ranked chart: what it spans, the instructions executed in it, and the functions that executed the most. */
export interface ProfileChart {
  title: string;
  total: number;
  top: { name: string; instructions: number; share: number }[];
}

/** A failed test of the scenario, by its title, and the reason it failed with. */
export interface TimelineFailure {
  test: string;
  reason: string;
}

/**
 * The failure that came first in the run (a guest that crashes fails its crash check at once and the
 * lines it never printed only at the end: the first is the cause); between equal times, the first test.
 * A verdict still pending at the end failed when the run ended. None when every test passed.
 */
export function firstFailure(tests: readonly { title: string; verdict: Verdict }[]): TimelineFailure | undefined {
  const failures = tests.flatMap(({ title, verdict }) => {
    if (verdict.status === 'passed') return [];
    return verdict.status === 'failed' ? [{ test: title, reason: verdict.reason, t: verdict.t }] : [{ test: title, reason: UNDECIDED_REASON, t: Infinity }];
  });
  const first = failures.reduce<(typeof failures)[number] | undefined>((earliest, f) => (earliest === undefined || f.t < earliest.t ? f : earliest), undefined);
  return first && { test: first.test, reason: first.reason };
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
