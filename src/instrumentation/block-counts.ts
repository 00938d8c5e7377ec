// Executions of the guest's translated blocks over a run, from the plugin's batches (blocks=on): what
// coverage (blocks run at least once) and profiles (executions x instructions) are computed from.
import type { BlockInfo, PluginBatch } from './plugin-records.js';
import { PluginStreamError } from './plugin-records.js';

export interface CountedBlock extends BlockInfo {
  executions: number;
}

/** Executions per block id at one moment: subtract two to get an interval's (see `between`). */
export type BlockSnapshot = ReadonlyMap<number, number>;

export class BlockCounts {
  private readonly byId = new Map<number, CountedBlock>();
  /** Blocks the plugin could not count (its table was full), as of the last batch. */
  dropped = 0;
  /** The time of the last batch applied, CLOCK_MONOTONIC ns. */
  lastTimeNs: bigint | undefined;

  /** Adds a batch's new blocks and deltas; throws PluginStreamError for a delta of a block never announced. */
  apply(batch: PluginBatch): void {
    for (const block of batch.newBlocks) this.byId.set(block.id, { ...block, executions: 0 });
    for (const { id, delta } of batch.blocks) {
      const block = this.byId.get(id);
      if (!block) throw new PluginStreamError(`a delta of block ${id}, which no batch announced`);
      block.executions += delta;
    }
    this.dropped = batch.blocksDropped;
    this.lastTimeNs = batch.timeNs;
  }

  /** Every block translated so far, in order of first translation (id order). */
  blocks(): IterableIterator<CountedBlock> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Guest instructions executed so far, over all blocks (callgrind's Ir). */
  instructions(): number {
    let total = 0;
    for (const block of this.byId.values()) total += block.executions * block.instructions;
    return total;
  }

  /** The executions of every block that ran, now. */
  snapshot(): BlockSnapshot {
    const counts = new Map<number, number>();
    for (const block of this.byId.values()) if (block.executions > 0) counts.set(block.id, block.executions);
    return counts;
  }

  /** Executions per block between two snapshots (`from` taken first); blocks that did not run are left out. */
  static between(from: BlockSnapshot, to: BlockSnapshot): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [id, executions] of to) {
      const delta = executions - (from.get(id) ?? 0);
      if (delta > 0) counts.set(id, delta);
    }
    return counts;
  }
}
