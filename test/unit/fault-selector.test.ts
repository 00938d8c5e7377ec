// Fault selection is exact for nth/first/all and reproducible for probabilities.
import { describe, test, expect } from 'vitest';
import { faultSelector, seededRandom } from '../../src/debugger/fault-selector.js';

const pick = (select: (call: number) => boolean, calls: number): number[] =>
  Array.from({ length: calls }, (_, i) => i + 1).filter((call) => select(call));

describe('faultSelector', () => {
  test('nth, first and all', () => {
    expect(pick(faultSelector({ kind: 'nth', n: 3 }), 10)).toEqual([3]);
    expect(pick(faultSelector({ kind: 'first', n: 2 }), 10)).toEqual([1, 2]);
    expect(pick(faultSelector({ kind: 'all' }), 4)).toEqual([1, 2, 3, 4]);
  });

  test('a probability with a seed picks the same calls every time, and about the right share', () => {
    const first = pick(faultSelector({ kind: 'probability', probability: 0.3, seed: 42 }), 1000);
    const again = pick(faultSelector({ kind: 'probability', probability: 0.3, seed: 42 }), 1000);
    const other = pick(faultSelector({ kind: 'probability', probability: 0.3, seed: 43 }), 1000);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first.length).toBeGreaterThan(240);
    expect(first.length).toBeLessThan(360);
  });

  test('probabilities 0 and 1 are never and always', () => {
    expect(pick(faultSelector({ kind: 'probability', probability: 0, seed: 1 }), 50)).toEqual([]);
    expect(pick(faultSelector({ kind: 'probability', probability: 1, seed: 1 }), 50)).toHaveLength(50);
  });

  test('seededRandom stays in [0, 1) and matches the published mulberry32 sequence for seed 1', () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 3 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    // mulberry32(1): 0.6270739405881613, 0.002735721180215478, 0.5274470399599522
    expect(values.map((v) => v.toFixed(6))).toEqual(['0.627074', '0.002736', '0.527447']);
  });
});
