// One reading per event-loop turn: readers in one turn agree, the next turn reads again.
import { describe, test, expect } from 'vitest';
import { tickClock } from '../../src/runner/tick-clock.js';

describe('tickClock', () => {
  test('every call in one turn returns the first reading; the next turn reads anew', async () => {
    let source = 0;
    const clock = tickClock(() => ++source);
    expect([clock(), clock(), clock()]).toEqual([1, 1, 1]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([clock(), clock()]).toEqual([2, 2]);
    expect(source).toBe(2);
  });

  test('callbacks of one loop phase share a stamp even when work runs between them', async () => {
    const clock = tickClock(() => process.hrtime.bigint());
    const stamps: bigint[] = [];
    // Two immediates queued together run in one check phase, like two readable sockets in one poll
    // phase; the clock's reset, queued from inside the first, runs in the next turn (Node's rule).
    // Two timers would not do: each takes its start from a fresh loop time, so under load the
    // second can be due a millisecond later and run a turn later.
    await new Promise<void>((resolve) => {
      setImmediate(() => {
        stamps.push(clock());
        const busyUntil = process.hrtime.bigint() + 5_000_000n; // 5 ms of work between the callbacks
        while (process.hrtime.bigint() < busyUntil);
      });
      setImmediate(() => {
        stamps.push(clock());
        resolve();
      });
    });
    expect(stamps[1]).toBe(stamps[0]);
  });
});
