// `after:` across channels: exact order within a stream, a tolerance between streams, and the bounded
// memory of recent events that a late-met expectation lets count.
import { describe, expect, test } from 'vitest';
import { comesAfter, CROSS_CHANNEL_TOLERANCE_MS, RecentEvents } from '../../src/match/event-order.js';
import type { ObservedEvent } from '../../src/match/observed-event.js';
import type { GuestCase } from '../../src/results/guest-case.js';

const event = (source: ObservedEvent['source'], t: number, seq: number, extra: Partial<ObservedEvent> = {}): ObservedEvent => ({ source, t, seq, ...extra });

describe('comesAfter', () => {
  test('within one channel by arrival, whatever the times say', () => {
    const metBy = event('console', 5, 2);
    expect([comesAfter(metBy, event('console', 4, 3)), comesAfter(metBy, event('console', 6, 1)), comesAfter(metBy, metBy)]).toEqual([true, false, false]);
  });

  test('a guest case is in the order of the lines of the channel it was read from', () => {
    const guestCase = { resultChannel: 'debugcon' as const, guestCase: {} as GuestCase };
    const line = event('debugcon', 5, 2);
    expect([comesAfter(line, event('results', 1, 3, guestCase)), comesAfter(line, event('results', 9, 1, guestCase))]).toEqual([true, false]);
  });

  test('the screen check that met the one before counts itself: both are on it at once', () => {
    const screen = event('console', 5, 2, { rows: ['a', 'b'] });
    expect(comesAfter(screen, screen)).toBe(true);
  });

  test('across channels, up to the tolerance before counts as simultaneous', () => {
    const metBy = event('console', 100, 5);
    expect([comesAfter(metBy, event('codes', 100 - CROSS_CHANNEL_TOLERANCE_MS, 1)), comesAfter(metBy, event('codes', 99.9 - CROSS_CHANNEL_TOLERANCE_MS, 1))]).toEqual([true, false]);
  });
});

describe('RecentEvents', () => {
  test('keeps the events of the last tolerance only', () => {
    const recent = new RecentEvents();
    for (const t of [0, 5, 12, 14]) recent.remember(event('console', t, t));
    expect(recent.all.map((e) => e.t)).toEqual([5, 12, 14]);
  });

  test('keeps at most 1000 events, the latest, however many arrive at once', () => {
    const recent = new RecentEvents();
    for (let seq = 1; seq <= 1500; seq++) recent.remember(event('console', 1, seq));
    expect(recent.all.length).toBe(1000);
    expect(recent.all[0]!.seq).toBe(501);
  });
});
