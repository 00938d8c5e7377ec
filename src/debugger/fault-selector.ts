// Which calls of a function get a fault: the nth, the first N, all, or each with a seeded probability.
import type { FaultHits } from '../scenario/model.js';

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine and run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides call by call (1-based call numbers, in order) whether the fault applies. */
export function faultSelector(hits: FaultHits): (call: number) => boolean {
  switch (hits.kind) {
    case 'all': return () => true;
    case 'nth': return (call) => call === hits.n;
    case 'first': return (call) => call <= hits.n;
    case 'probability': {
      const random = seededRandom(hits.seed);
      // One draw per call, so the choice for call N depends only on the seed and N.
      return () => random() < hits.probability;
    }
  }
}

/** The last call a fault can apply to: undefined while any later call may still be chosen. */
export function lastSelectedCall(hits: FaultHits): number | undefined {
  switch (hits.kind) {
    case 'nth':
    case 'first': return hits.n;
    case 'all':
    case 'probability': return undefined;
  }
}
