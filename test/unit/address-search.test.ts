import { describe, expect, test } from 'vitest';
import { lastAtOrBefore } from '../../src/symbols/address-search.js';

describe('lastAtOrBefore', () => {
  const starts = [0x10, 0x20, 0x20, 0x40];
  const at = (address: number): number => lastAtOrBefore(starts.length, (i) => starts[i]!, address);

  test('finds the last entry at or below the address, the last of equal ones', () => {
    expect([0x10, 0x1f, 0x20, 0x3f, 0x40, 0x1000].map(at)).toEqual([0, 0, 2, 2, 3, 3]);
  });

  test('is -1 below the first entry and in an empty table', () => {
    expect(at(0xf)).toBe(-1);
    expect(lastAtOrBefore(0, () => 0, 5)).toBe(-1);
  });

  test('compares bigint addresses beyond 2^53 exactly', () => {
    const high = [0xffffffff80000000n, 0xffffffff80000001n];
    expect(lastAtOrBefore(high.length, (i) => high[i]!, 0xffffffff80000000n)).toBe(0);
    expect(lastAtOrBefore(high.length, (i) => high[i]!, 0xffffffff7fffffffn)).toBe(-1);
  });
});
