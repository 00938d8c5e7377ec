// Ways to cut one byte stream into chunks, for the framer and parser rule: every cut gives the same result.

import { seededRandom } from '../../src/debugger/fault-selector.js';

/** mulberry32, the seeded PRNG fault selection uses, so random split points are reproducible. */
export const mulberry32 = seededRandom;

function cutAt(bytes: Uint8Array, ends: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const end of [...ends, bytes.length]) {
    if (end > start) chunks.push(bytes.subarray(start, end));
    start = Math.max(start, end);
  }
  return chunks;
}

export const SEEDS = [1, 2, 3, 42, 0xc0ffee, 20240601];

/** Named chunkings of `bytes`: whole, line by line, byte by byte and at random points for several seeds. */
export function chunkings(bytes: Uint8Array): [string, Uint8Array[]][] {
  const lineEnds = [...bytes.keys()].filter((i) => bytes[i] === 0x0a).map((i) => i + 1);
  const out: [string, Uint8Array[]][] = [
    ['whole', [bytes]],
    ['line by line', cutAt(bytes, lineEnds)],
    ['byte by byte', cutAt(bytes, [...bytes.keys()].map((i) => i + 1))],
  ];
  for (const seed of SEEDS) {
    const random = mulberry32(seed);
    const ends: number[] = [];
    for (let at = 0; at < bytes.length;) {
      at += 1 + Math.floor(random() * (random() < 0.5 ? 4 : 40));
      ends.push(at);
    }
    out.push([`random seed ${seed}`, cutAt(bytes, ends)]);
  }
  return out;
}
