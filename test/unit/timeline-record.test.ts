import { describe, expect, test } from 'vitest';
import { firstFailure, keptEvents } from '../../src/report/timeline-record.js';
import type { TimelineEvent } from '../../src/timeline/timeline.js';

const codes = (n: number): TimelineEvent[] => Array.from({ length: n }, (_, i) => ({ kind: 'code', t: i, code: 0x40, stage: 'kernel' }));

describe('keptEvents', () => {
  test('a short run keeps every event and has no gap', () => {
    expect(keptEvents(codes(10), 0, 300)).toEqual({ events: codes(10) });
  });

  test('a long run keeps the head and the tail and counts the middle, with what the Timeline dropped', () => {
    const { events, gap } = keptEvents(codes(2000), 25, 300);
    expect(events).toHaveLength(300);
    expect(events[149]!.t).toBe(149);
    expect(events[150]!.t).toBe(1850);
    expect(events.at(-1)!.t).toBe(1999);
    expect(gap).toEqual({ after: 150, count: 1725 });
  });

  test('events the Timeline dropped from its middle are a gap even when the rest fits', () => {
    expect(keptEvents(codes(2000), 7, 3000).gap).toEqual({ after: 1000, count: 7 });
  });
});

describe('firstFailure', () => {
  const passed = (t: number) => ({ status: 'passed', t, detail: 'met' }) as const;
  const failed = (t: number, reason: string) => ({ status: 'failed', t, reason }) as const;

  test('is the failure earliest in the run, whichever test it is', () => {
    expect(firstFailure([
      { title: 'console "network up"', verdict: failed(2000, 'not seen before the 2 s timeout') },
      { title: 'boots', verdict: passed(5) },
      { title: 'never "panic"', verdict: failed(40, 'seen at +40.0 ms: Kernel panic') },
    ])).toEqual({ test: 'never "panic"', reason: 'seen at +40.0 ms: Kernel panic' });
  });

  test('between failures at the same time, the first test; a pending verdict after every timed failure', () => {
    expect(firstFailure([
      { title: 'undecided', verdict: { status: 'pending' } },
      { title: 'a', verdict: failed(10, 'first') },
      { title: 'b', verdict: failed(10, 'second') },
    ])).toEqual({ test: 'a', reason: 'first' });
    expect(firstFailure([{ title: 'undecided', verdict: { status: 'pending' } }, { title: 'ok', verdict: passed(1) }]))
      .toEqual({ test: 'undecided', reason: 'the run ended without deciding this expectation' });
  });

  test('is none when every test passed', () => {
    expect(firstFailure([{ title: 'a', verdict: passed(1) }, { title: 'b', verdict: passed(2) }])).toBeUndefined();
    expect(firstFailure([])).toBeUndefined();
  });
});
