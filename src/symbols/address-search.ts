// Lookups by address in tables sorted by it: symbols, functions, line spans, executions per address.

/**
 * The index of the last of `length` entries, sorted by ascending address, whose address (`addressAt(i)`) is at
 * or below `address`; -1 if none is. Of equal addresses, the last.
 */
export function lastAtOrBefore<A extends number | bigint>(length: number, addressAt: (i: number) => A, address: A): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (addressAt(mid) <= address) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}
