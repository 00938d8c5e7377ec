// The functions of a guest image with their extents: what coverage counts and profiles rank.
import { lastAtOrBefore } from '../symbols/address-search.js';
import type { SymbolTable } from '../symbols/symbol-table.js';

/** A function's code: [start, end). */
export interface GuestFunction {
  name: string;
  start: bigint;
  end: bigint;
}

/**
 * The image's functions by ascending address, one per address (the name a reader expects among aliases). A
 * function without a size (System.map, assembly) ends where the next symbol starts, which is where the linker
 * put the next function.
 */
export function guestFunctions(table: SymbolTable): GuestFunction[] {
  const symbols = table.byAddress;
  const functions: GuestFunction[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const symbol = symbols[i]!;
    if (symbol.kind !== 'function') continue;
    // The preferred name at an address sorts last among the symbols there.
    const next = symbols[i + 1];
    if (next && next.address === symbol.address && next.kind === 'function') continue;
    let end = symbol.address + symbol.size;
    if (symbol.size === 0n) {
      let j = i + 1;
      while (j < symbols.length && symbols[j]!.address === symbol.address) j++;
      end = j < symbols.length ? symbols[j]!.address : symbol.address + 1n;
    }
    functions.push({ name: symbol.name, start: symbol.address, end });
  }
  return functions;
}

/** Index of the function containing `address` in an address-sorted list, -1 if none does. */
export function functionAt(functions: readonly GuestFunction[], address: bigint): number {
  const i = lastAtOrBefore(functions.length, (j) => functions[j]!.start, address);
  return i >= 0 && address < functions[i]!.end ? i : -1;
}
