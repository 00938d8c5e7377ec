import { describe, expect, test } from 'vitest';
import { codeMatches, describeCode, STAGE_NAMES, stageOf, stageRange } from '../../src/scenario/stages.js';

describe('stageOf', () => {
  test.each([
    [0x00, 'firmware'], [0x1f, 'firmware'],
    [0x20, 'bootloader'], [0x3f, 'bootloader'],
    [0x40, 'kernel'], [0x5f, 'kernel'],
    [0x60, 'userspace'], [0x7f, 'userspace'],
    [0x80, 'custom'], [0xff, 'custom'],
  ].map(([code, stage]) => ({ hex: `0x${code!.toString(16).padStart(2, '0')}`, code: code as number, stage })))('$hex is $stage', ({ code, stage }) => {
    expect(stageOf(code)).toBe(stage);
  });

  test.each([-1, 256, Number.NaN])('%s is out of range', (code) => {
    expect(() => stageOf(code)).toThrow(RangeError);
  });
});

describe('stageRange', () => {
  test('ranges cover 0..255 without gaps, in order', () => {
    let next = 0;
    for (const name of STAGE_NAMES) {
      const { first, last } = stageRange(name);
      expect(first).toBe(next);
      expect(stageOf(first)).toBe(name);
      expect(stageOf(last)).toBe(name);
      next = last + 1;
    }
    expect(next).toBe(256);
  });
});

describe('code matches', () => {
  test('a byte matches itself; a stage name any code of its range', () => {
    expect([0x40, 0x41].map((code) => codeMatches(0x41, code))).toEqual([false, true]);
    expect([0x5f, 0x60, 0x7f, 0x80].map((code) => codeMatches('userspace', code))).toEqual([false, true, true, false]);
  });

  test('described as titles name them', () => {
    expect([describeCode(0x7), describeCode('kernel')]).toEqual(['code 0x07', 'code kernel (0x40-0x5f)']);
  });
});
