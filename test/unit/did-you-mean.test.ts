import { describe, expect, test } from 'vitest';
import { closest, editDistance } from '../../src/scenario/did-you-mean.js';

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['timeout', 'timeout', 0],
    ['timout', 'timeout', 1], // deletion
    ['pcc', 'pc', 1], // insertion
    ['kernal', 'kernel', 1], // substitution
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 2], // no transposition shortcut
  ])('%j -> %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['name', 'guest', 'machine', 'timeout', 'ordered', 'exit', 'expect'];

  test('suggests the nearest candidate', () => {
    expect(closest('timout', keys)).toBe('timeout');
    expect(closest('gust', keys)).toBe('guest');
    expect(closest('pcc', ['pc', 'q35', 'microvm'])).toBe('pc');
  });

  test('ignores case', () => {
    expect(closest('TIMEOUT', keys)).toBe('timeout');
  });

  test('prefers the smaller distance, the first on a tie', () => {
    expect(closest('exot', keys)).toBe('exit');
    expect(closest('ab', ['ax', 'ay'])).toBe('ax');
  });

  test('nothing when every candidate is too far', () => {
    expect(closest('bootloader', keys)).toBeUndefined();
    expect(closest('zzzz', ['pc', 'q35'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });

  test('the limit grows with the word: 2, then a third of its length', () => {
    expect(closest('abcdef', ['abcxyz'])).toBeUndefined(); // distance 3 > 2
    expect(closest('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz'); // distance 3 <= 9/3
  });
});
