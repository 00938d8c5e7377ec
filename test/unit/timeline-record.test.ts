import { describe, expect, test } from 'vitest';
import { keptEvents } from '../../src/report/timeline-record.js';
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
