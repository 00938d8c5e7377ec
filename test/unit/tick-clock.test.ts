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

  test('I/O callbacks of one poll phase share a stamp even when work runs between them', async () => {
    const clock = tickClock(() => process.hrtime.bigint());
    const stamps: bigint[] = [];
    // Two timers due at once run in the same timers phase, like two readable sockets in one poll phase.
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        stamps.push(clock());
        const busyUntil = process.hrtime.bigint() + 5_000_000n; // 5 ms of work between the callbacks
        while (process.hrtime.bigint() < busyUntil);
      }, 1);
      setTimeout(() => {
        stamps.push(clock());
        resolve();
      }, 1);
    });
    expect(stamps[1]).toBe(stamps[0]);
  });
});
