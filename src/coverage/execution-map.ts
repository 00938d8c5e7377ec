// How many times the instruction at each address ran, from the blocks that contain it.
import { lastAtOrBefore } from '../symbols/address-search.js';
import type { BlockCount } from './block-count.js';

/**
 * Executions per address as a step function: blocks may overlap (QEMU translates again from a jump into the
 * middle of a block), so an address ran as often as all the blocks containing it ran together. Addresses are
 * offsets from `base`, plain numbers; blocks outside [base, base + 2^52) are left out (another image's code).
 */
export class ExecutionMap {
  /** Segment i covers [bounds[i], bounds[i + 1]) and ran counts[i] times; the last bound ends the last segment. */
  readonly #bounds: Float64Array;
  readonly #counts: Float64Array;

  constructor(blocks: readonly BlockCount[], readonly base: bigint) {
    const events: [number, number][] = [];
    for (const block of blocks) {
      if (block.executions === 0 || block.vaddr < base || block.vaddr - base >= LIMIT) continue;
      const start = Number(block.vaddr - base);
      events.push([start, block.executions], [start + block.bytes, -block.executions]);
    }
    events.sort((a, b) => a[0] - b[0]);
    const bounds: number[] = [];
    const counts: number[] = [];
    let running = 0;
    for (let i = 0; i < events.length; ) {
      const at = events[i]![0];
      for (; i < events.length && events[i]![0] === at; i++) running += events[i]![1];
      bounds.push(at);
      counts.push(running);
    }
    this.#bounds = Float64Array.from(bounds);
    this.#counts = Float64Array.from(counts);
  }

  /** Executions of the instruction at `base + offset`. */
  at(offset: number): number {
    const i = this.#segmentAt(offset);
    return i < 0 ? 0 : this.#counts[i]!;
  }

  /** The most executions of any instruction in [base + start, base + end). */
  maxIn(start: number, end: number): number {
    let most = 0;
    for (let i = Math.max(this.#segmentAt(start), 0); i < this.#bounds.length && this.#bounds[i]! < end; i++) {
      if (this.#bounds[i + 1] === undefined || this.#bounds[i + 1]! > start) most = Math.max(most, this.#counts[i]!);
    }
    return most;
  }

  /** The segment holding `offset`, or -1 before the first. */
  #segmentAt(offset: number): number {
    return lastAtOrBefore(this.#bounds.length, (i) => this.#bounds[i]!, offset);
  }
}

const LIMIT = 1n << 52n;
