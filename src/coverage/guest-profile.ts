// Where the guest's instructions went: executed instructions per function, the way callgrind counts Ir, but from
// whole translated blocks (each execution of a block runs all its instructions).
import type { BlockCount } from './block-count.js';
import { functionAt, type GuestFunction } from './guest-functions.js';

export interface ProfileEntry {
  name: string;
  instructions: number;
  /** Of all instructions counted in the interval, 0 to 1. */
  share: number;
}

export interface GuestProfile {
  /** Instructions executed in the interval, outside the image's functions included. */
  total: number;
  /** The functions that executed most, most first; ties by name. */
  top: ProfileEntry[];
}

/** What runs outside every function of the symbol file: user space, firmware, modules, code before relocation. */
export const OUTSIDE_FUNCTIONS = '(outside the symbol file\'s functions)';

/**
 * The `limit` functions that executed the most instructions in `blocks`. A block is counted in the function its
 * first instruction belongs to: QEMU ends a block at every jump, call and return, so a block runs into the next
 * function only where code falls through a symbol (assembly), and then its instructions count in the first.
 */
export function profileFunctions(blocks: readonly BlockCount[], functions: readonly GuestFunction[], limit: number): GuestProfile {
  // By index: static functions of one name in several files are several functions.
  const byFunction = new Map<number, number>();
  let total = 0;
  for (const block of blocks) {
    const instructions = block.executions * block.instructions;
    if (instructions === 0) continue;
    total += instructions;
    const i = functionAt(functions, block.vaddr);
    byFunction.set(i, (byFunction.get(i) ?? 0) + instructions);
  }
  const nameOf = (i: number): string => (i < 0 ? OUTSIDE_FUNCTIONS : functions[i]!.name);
  const top = [...byFunction]
    .map(([i, instructions]) => ({ name: nameOf(i), instructions, share: instructions / total }))
    .sort((a, b) => b.instructions - a.instructions || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
  return { total, top };
}
