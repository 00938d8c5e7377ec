import { describe, expect, test } from 'vitest';
import { lineSourceMap } from '../../src/vitest/line-source-map.js';
import { mulberry32 } from './chunkings.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one source-map segment into its signed VLQ fields. */
function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    if (digit < 0) throw new Error(`not base64: ${char}`);
    value += (digit & 31) * 2 ** shift;
    shift += 5;
    if ((digit & 32) === 0) {
      values.push(value & 1 ? -(value - 1) / 2 : value / 2);
      value = 0;
      shift = 0;
    }
  }
  if (shift !== 0) throw new Error(`unterminated VLQ in ${segment}`);
  return values;
}

/** Generated line -> 1-based original line/col, following the deltas of the mappings. */
function decodeMappings(mappings: string): ({ line: number; col: number } | undefined)[] {
  let line = 0;
  let col = 0;
  return mappings.split(';').map((segment) => {
    if (segment === '') return undefined;
    const [genCol, source, dLine, dCol, ...rest] = decodeSegment(segment);
    expect({ genCol, source, rest }).toEqual({ genCol: 0, source: 0, rest: [] });
    line += dLine!;
    col += dCol!;
    return { line: line + 1, col: col + 1 };
  });
}

describe('lineSourceMap', () => {
  test('known VLQ vectors: 0 -> A, 1 -> C, -1 -> D, 16 -> gB', () => {
    const map = lineSourceMap('s.yaml', '', [{ line: 1, col: 1 }, { line: 2, col: 1 }, { line: 1, col: 1 }, { line: 1, col: 17 }]);
    expect(map.mappings).toBe('AAAA;AACA;AADA;AAAgB');
  });

  test('the test decoder reads the vectors back', () => {
    expect(['A', 'C', 'D', 'gB', 'hB', 'w+B', 'x+B', 'AACA'].map(decodeSegment)).toEqual([[0], [1], [-1], [16], [-16], [1000], [-1000], [0, 0, 1, 0]]);
  });

  test('lines without an origin are empty segments and do not move the deltas', () => {
    const origins = [undefined, { line: 5, col: 3 }, undefined, undefined, { line: 7, col: 3 }];
    const map = lineSourceMap('scenarios/x.yaml', 'yaml text', origins);
    expect(map).toMatchObject({ version: 3, sources: ['scenarios/x.yaml'], sourcesContent: ['yaml text'], names: [] });
    expect(map.mappings.split(';')).toHaveLength(5);
    expect(decodeMappings(map.mappings)).toEqual(origins);
  });

  test('random origins, large and backwards jumps included, decode to themselves', () => {
    const random = mulberry32(7);
    const origins = Array.from({ length: 300 }, () =>
      random() < 0.2 ? undefined : { line: 1 + Math.floor(random() * 5000), col: 1 + Math.floor(random() * 200) });
    expect(decodeMappings(lineSourceMap('a.yaml', '', origins).mappings)).toEqual(origins);
  });
});
