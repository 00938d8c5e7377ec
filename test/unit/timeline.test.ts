// The run's timeline: every event in order while it fits, then the head and the latest, the middle counted.
import { describe, expect, test } from 'vitest';
import { MAX_TIMELINE_EVENTS, Timeline, formatTimeline } from '../../src/timeline/timeline.js';

const code = (t: number) => ({ kind: 'code' as const, t, code: 0x40, stage: 'kernel' as const });

describe('Timeline', () => {
  test('under the cap: every event, in order', () => {
    const timeline = new Timeline();
    for (let t = 0; t < MAX_TIMELINE_EVENTS; t++) timeline.add(code(t));
    expect(timeline.events.map((e) => e.t)).toEqual(Array.from({ length: MAX_TIMELINE_EVENTS }, (_, t) => t));
    expect(timeline.dropped).toBe(0);
  });

  test('past it: the first half and the latest half, in order, and how many were left out', () => {
    const timeline = new Timeline();
    const total = MAX_TIMELINE_EVENTS * 2 + 123;
    for (let t = 0; t < total; t++) timeline.add(code(t));
    const half = MAX_TIMELINE_EVENTS / 2;
    expect(timeline.events.map((e) => e.t)).toEqual([...Array.from({ length: half }, (_, t) => t), ...Array.from({ length: half }, (_, i) => total - half + i)]);
    expect(timeline.dropped).toBe(total - MAX_TIMELINE_EVENTS);
    expect(formatTimeline(timeline, 3)).toEqual([`(${total - 3} earlier events not shown)`, ...[total - 3, total - 2, total - 1].map((t) => `+${t.toFixed(1).padStart(8)} ms  codes   0x40 (kernel)`)]);
  });
});
