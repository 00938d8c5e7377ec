// Synthetic symbols laid out like the reference guest: code at 1 MiB, data after it.
import type { GuestSymbol, LoadRange } from '../../../src/symbols/symbol-table.js';

export function sym(name: string, address: number, size: number, kind: GuestSymbol['kind'] = 'function', binding: GuestSymbol['binding'] = 'global'): GuestSymbol {
  return { name, address: BigInt(address), size: BigInt(size), kind, binding };
}

/** A code segment, then a data segment, as the reference guest's PT_LOADs. */
export const GUEST_RANGES: LoadRange[] = [
  { start: 0x100000n, end: 0x103204n, executable: true, writable: false },
  { start: 0x104000n, end: 0x1107f0n, executable: false, writable: true },
];
