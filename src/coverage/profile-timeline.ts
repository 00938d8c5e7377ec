// Instructions per function over the time of a run, from the plugin's batches: what profiles of a stage or of
// a span between two points of the timeline are summed from.
import { functionAt, type GuestFunction } from './guest-functions.js';
import { OUTSIDE_FUNCTIONS, type GuestProfile } from './guest-profile.js';

/** A block the plugin announces: an id, stable for the run, and what a profile reads of it. */
export interface AnnouncedBlock {
  id: number;
  vaddr: bigint;
  instructions: number;
}

/**
 * Each batch's executions since the one before, as instructions per function (a few entries per batch: the
 * functions that ran then), at the batch's time. Batches that come before the symbols are read keep their
 * per-block deltas until they are. A batch's time bounds what it counted, to within the plugin's batch period.
 */
export class ProfileTimeline {
  readonly #vaddr: bigint[] = [];
  readonly #instructions: number[] = [];
  #functions: readonly GuestFunction[] | undefined;
  readonly #functionOf: number[] = [];
  readonly #pending: { t: number; deltas: readonly { id: number; delta: number }[] }[] = [];
  readonly #batches: { t: number; byFunction: Map<number, number> }[] = [];

  /** A batch at the run's time `t` (ms): the blocks it announces and the executions it adds to blocks. */
  observe(announced: readonly AnnouncedBlock[], deltas: readonly { id: number; delta: number }[], t: number): void {
    for (const block of announced) {
      this.#vaddr[block.id] = block.vaddr;
      this.#instructions[block.id] = block.instructions;
    }
    if (deltas.length === 0) return;
    if (this.#functions) this.#batches.push({ t, byFunction: this.#byFunction(deltas) });
    else this.#pending.push({ t, deltas });
  }

  /** The image's functions, once read: batches kept per block until now are summed per function. */
  setFunctions(functions: readonly GuestFunction[]): void {
    this.#functions = functions;
    for (const { t, deltas } of this.#pending.splice(0)) this.#batches.push({ t, byFunction: this.#byFunction(deltas) });
    this.#batches.sort((a, b) => a.t - b.t);
  }

  /** The `limit` functions that executed the most in batches after `from` up to `to` (ms). */
  profile(from: number, to: number, limit: number): GuestProfile {
    const functions = this.#functions ?? [];
    const sums = new Map<number, number>();
    let total = 0;
    for (const batch of this.#batches) {
      if (batch.t <= from || batch.t > to) continue;
      for (const [index, instructions] of batch.byFunction) {
        sums.set(index, (sums.get(index) ?? 0) + instructions);
        total += instructions;
      }
    }
    const top = [...sums]
      .map(([index, instructions]) => ({ name: index < 0 ? OUTSIDE_FUNCTIONS : functions[index]!.name, instructions, share: instructions / total }))
      .sort((a, b) => b.instructions - a.instructions || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, limit);
    return { total, top };
  }

  #byFunction(deltas: readonly { id: number; delta: number }[]): Map<number, number> {
    const sums = new Map<number, number>();
    for (const { id, delta } of deltas) {
      let index = this.#functionOf[id];
      if (index === undefined) this.#functionOf[id] = index = functionAt(this.#functions!, this.#vaddr[id]!);
      sums.set(index, (sums.get(index) ?? 0) + delta * this.#instructions[id]!);
    }
    return sums;
  }
}
