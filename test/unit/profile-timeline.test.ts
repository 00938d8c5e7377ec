// Profiles of a span of the run, summed from the plugin's batches: per function, by batch time, whether the
// symbols came before or after the first batches.
import { describe, expect, test } from 'vitest';
import { ProfileTimeline } from '../../src/coverage/profile-timeline.js';
import { OUTSIDE_FUNCTIONS } from '../../src/coverage/guest-profile.js';
import type { GuestFunction } from '../../src/coverage/guest-functions.js';

const FUNCTIONS: GuestFunction[] = [
  { name: 'boot', start: 0x1000n, end: 0x1100n },
  { name: 'loop', start: 0x1100n, end: 0x1200n },
];
const BLOCKS = [
  { id: 0, vaddr: 0x1000n, instructions: 10 },
  { id: 1, vaddr: 0x1100n, instructions: 2 },
  { id: 2, vaddr: 0xfff0n, instructions: 1 },
];

function feed(timeline: ProfileTimeline): void {
  timeline.observe(BLOCKS, [{ id: 0, delta: 1 }, { id: 2, delta: 5 }], 10);
  timeline.observe([], [{ id: 1, delta: 100 }], 20);
  timeline.observe([], [], 30);
  timeline.observe([], [{ id: 1, delta: 50 }, { id: 0, delta: 1 }], 40);
}

describe.each([
  ['symbols read before the first batch', (t: ProfileTimeline) => { t.setFunctions(FUNCTIONS); feed(t); }],
  ['symbols read after the batches', (t: ProfileTimeline) => { feed(t); t.setFunctions(FUNCTIONS); }],
])('%s', (_, prepare) => {
  const timeline = new ProfileTimeline();
  prepare(timeline);

  test('the whole run: every batch, ranked, code outside the functions on its own', () => {
    expect(timeline.profile(0, Infinity, 10)).toEqual({
      total: 10 + 5 + 200 + 100 + 10,
      top: [
        { name: 'loop', instructions: 300, share: 300 / 325 },
        { name: 'boot', instructions: 20, share: 20 / 325 },
        { name: OUTSIDE_FUNCTIONS, instructions: 5, share: 5 / 325 },
      ],
    });
  });

  test('a span holds the batches after its start up to its end', () => {
    expect(timeline.profile(10, 20, 10).top).toEqual([{ name: 'loop', instructions: 200, share: 1 }]);
    expect(timeline.profile(20, 40, 1)).toEqual({ total: 110, top: [{ name: 'loop', instructions: 100, share: 100 / 110 }] });
    expect(timeline.profile(40, 50, 10)).toEqual({ total: 0, top: [] });
  });
});
