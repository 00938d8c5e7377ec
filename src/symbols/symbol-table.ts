// A guest's symbols, indexed once, answering "where is `name`?", "which symbols match `glob`?" and "what is at 0x…?".
import { editDistance } from '../scenario/did-you-mean.js';
import { lastAtOrBefore } from './address-search.js';
import { parseSymbolGlob, type SymbolGlob } from './symbol-glob.js';

export type SymbolKind = 'function' | 'object' | 'other';
export type SymbolBinding = 'local' | 'global' | 'weak';

/** One defined symbol; `size` is 0n when the file does not record it (System.map, assembly labels). */
export interface GuestSymbol {
  name: string;
  address: bigint;
  size: bigint;
  kind: SymbolKind;
  binding: SymbolBinding;
}

/** A loadable segment of the image, `end` exclusive. */
export interface LoadRange {
  start: bigint;
  end: bigint;
  executable: boolean;
  writable: boolean;
}

/** What a spec resolved to; `symbol` is undefined for an address that no symbol covers. */
export interface ResolvedSymbol {
  /** The symbol name, or `name+0xoff` / hex for an address literal. */
  name: string;
  address: bigint;
  symbol: GuestSymbol | undefined;
}

export type SymbolErrorCode =
  | 'unreadable'
  | 'not-elf'
  | 'big-endian'
  | 'corrupt-elf'
  | 'no-symbols'
  | 'system-map-stub'
  | 'unknown-symbol'
  | 'glob-no-match'
  | 'address-outside-image'
  | 'not-a-function';

/** A symbol file that cannot be used, or a symbol spec that names nothing usable; `suggestions` are close names. */
export class SymbolError extends Error {
  constructor(readonly code: SymbolErrorCode, message: string, readonly suggestions: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SymbolError';
  }
}

const ADDRESS_LITERAL = /^0x[0-9a-f]+$/i;
/** How far before an address a function (or unsized label) may start and still name it, as debuggers do. */
const NEAR = 0x10000n;
const MAX_SUGGESTIONS = 5;

/** Lowercase hex with a 0x prefix, the form addresses take in every message. */
export function hex(value: bigint): string {
  return `0x${value.toString(16)}`;
}

/** Symbols indexed by name (for specs) and by address (for symbolizing), built once per symbol file. */
export class SymbolTable {
  readonly #byName = new Map<string, GuestSymbol[]>();
  readonly #byAddress: GuestSymbol[];
  /** maxEnd[i]: the highest end of any symbol up to i, so a backwards scan knows when nothing earlier can contain. */
  readonly #maxEnd: bigint[] = [];
  readonly #ranges: readonly LoadRange[] | undefined;
  readonly #source: string;

  /** `ranges` undefined means the image layout is unknown (System.map, relocatable object); `source` names the file in messages. */
  constructor(symbols: readonly GuestSymbol[], options: { ranges?: readonly LoadRange[]; source?: string } = {}) {
    for (const symbol of symbols) {
      const same = this.#byName.get(symbol.name);
      if (same) same.push(symbol);
      else this.#byName.set(symbol.name, [symbol]);
    }
    // Among symbols at one address the preferred label sorts last, because lookups scan backwards; on a tie the
    // first in file order wins, as in kallsyms (reversed first, since the sort is stable).
    this.#byAddress = [...symbols].reverse().sort((a, b) => (a.address === b.address ? preference(a) - preference(b) : a.address < b.address ? -1 : 1));
    let maxEnd = 0n;
    for (const symbol of this.#byAddress) {
      const end = symbol.address + symbol.size;
      if (end > maxEnd) maxEnd = end;
      this.#maxEnd.push(maxEnd);
    }
    this.#ranges = options.ranges;
    this.#source = options.source ?? 'the symbol file';
  }

  /** Every symbol, by ascending address; among symbols at one address the one a reader expects last. */
  get byAddress(): readonly GuestSymbol[] {
    return this.#byAddress;
  }

  /** How many symbols, duplicates included. */
  get size(): number {
    return this.#byAddress.length;
  }

  /** Resolves an exact name (all duplicates), a glob (symbol-glob.ts), or a `0x…` address literal. */
  resolve(spec: string): ResolvedSymbol[] | SymbolError {
    if (ADDRESS_LITERAL.test(spec)) return this.#resolveAddress(BigInt(spec));
    const glob = parseSymbolGlob(spec);
    if (glob.isGlob) return this.#resolveGlob(spec, glob);
    const found = this.#byName.get(glob.name);
    if (found) return found.map(named).sort(byAddress);
    const suggestions = this.#suggest(glob.name, 'name');
    const tail = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : this.#nothingSimilar();
    return new SymbolError('unknown-symbol', `no symbol named \`${glob.name}\` in ${this.#source}${tail}`, suggestions);
  }

  /** An error when a fault or breakpoint cannot go there: the symbol is data, or lies in a non-executable segment. */
  requireFunction(resolved: ResolvedSymbol): SymbolError | undefined {
    if (resolved.symbol?.kind === 'object') {
      return new SymbolError(
        'not-a-function',
        `\`${resolved.name}\` is data (object), not a function: a fault or breakpoint on it would never be reached by execution; to react to it changing, use a watch expectation`,
      );
    }
    const range = this.#ranges?.find((r) => resolved.address >= r.start && resolved.address < r.end);
    if (range && !range.executable) {
      return new SymbolError('not-a-function', `\`${resolved.name}\` (${hex(resolved.address)}) is in a non-executable segment ${describeRange(range)}, not code; to react to it changing, use a watch expectation`);
    }
    return undefined;
  }

  /** The image's writable segments (none when its layout is unknown, as with a System.map). */
  get writableRanges(): readonly LoadRange[] {
    return (this.#ranges ?? []).filter((r) => r.writable);
  }

  /** `name+0xoff` for an address: the symbol that contains it, else the nearest function or unsized label within 64 KiB, else hex. */
  symbolize(address: bigint): string {
    return label(address, this.#locate(address));
  }

  #resolveAddress(address: bigint): ResolvedSymbol[] | SymbolError {
    const ranges = this.#ranges;
    if (ranges && ranges.length > 0 && !ranges.some((r) => address >= r.start && address < r.end)) {
      return new SymbolError(
        'address-outside-image',
        `address ${hex(address)} is outside the image described by ${this.#source}, whose loadable ranges are ${ranges.map(describeRange).join(', ')}; check the address, or that the symbols come from the image the guest boots`,
      );
    }
    const symbol = this.#locate(address);
    return [{ name: label(address, symbol), address, symbol }];
  }

  #resolveGlob(spec: string, glob: SymbolGlob): ResolvedSymbol[] | SymbolError {
    const found: ResolvedSymbol[] = [];
    for (const [name, symbols] of this.#byName) if (glob.regex.test(name)) for (const symbol of symbols) found.push(named(symbol));
    if (found.length > 0) return found.sort((a, b) => (a.name === b.name ? byAddress(a, b) : a.name < b.name ? -1 : 1));
    const suggestions = glob.literal ? this.#suggest(glob.literal, 'prefix') : [];
    const tail = suggestions.length > 0 ? `; symbols starting like it: ${suggestions.join(', ')}` : this.#nothingSimilar();
    return new SymbolError('glob-no-match', `glob \`${spec}\` matches no symbol in ${this.#source}${tail}`, suggestions);
  }

  #nothingSimilar(): string {
    return ` and nothing similar among its ${this.size} symbols; check that the symbols come from the unstripped image of this guest (nm lists them)`;
  }

  /** The containing sized symbol, else the nearest preceding function or unsized label within NEAR. */
  #locate(address: bigint): GuestSymbol | undefined {
    let fallback: GuestSymbol | undefined;
    for (let i = lastAtOrBefore(this.#byAddress.length, (j) => this.#byAddress[j]!.address, address); i >= 0; i--) {
      const symbol = this.#byAddress[i]!;
      if (symbol.address + symbol.size > address) return symbol;
      const near = address - symbol.address < NEAR;
      if (!fallback && near && (symbol.kind === 'function' || symbol.size === 0n)) fallback = symbol;
      const earlierMayContain = i > 0 && this.#maxEnd[i - 1]! > address;
      if (!earlierMayContain && (fallback || !near)) break;
    }
    return fallback;
  }

  /**
   * Up to five names for a miss: within typo distance first (compared whole, or by their start for a glob's
   * literal prefix), then names starting with the word, then names containing it.
   */
  #suggest(word: string, compare: 'name' | 'prefix'): string[] {
    const lower = word.toLowerCase();
    // The same typo allowance as closest() in did-you-mean.ts.
    const limit = Math.max(2, Math.floor(word.length / 3));
    const scores = new Map<string, number>();
    const distances = new Map<string, number>();
    for (const name of this.#byName.keys()) {
      const nameLower = name.toLowerCase();
      const target = compare === 'prefix' ? nameLower.slice(0, lower.length) : nameLower;
      let score = Infinity;
      if (Math.abs(target.length - lower.length) <= limit) {
        let distance = distances.get(target);
        if (distance === undefined) distances.set(target, (distance = editDistance(lower, target)));
        if (distance <= limit) score = distance;
      }
      if (score === Infinity && nameLower.includes(lower)) score = limit + (nameLower.startsWith(lower) ? 1 : 2);
      if (score !== Infinity) scores.set(name, score);
    }
    return [...scores]
      .sort(([a, sa], [b, sb]) => sa - sb || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, MAX_SUGGESTIONS)
      .map(([name]) => name);
  }
}

function named(symbol: GuestSymbol): ResolvedSymbol {
  return { name: symbol.name, address: symbol.address, symbol };
}

function byAddress(a: ResolvedSymbol, b: ResolvedSymbol): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/** Functions, then data, then labels; globals over weak over locals: the name a reader expects for an address. */
function preference(symbol: GuestSymbol): number {
  return KIND_PREFERENCE[symbol.kind] + BINDING_PREFERENCE[symbol.binding];
}

const KIND_PREFERENCE: Record<SymbolKind, number> = { function: 6, object: 3, other: 0 };
const BINDING_PREFERENCE: Record<SymbolBinding, number> = { global: 2, weak: 1, local: 0 };

function label(address: bigint, symbol: GuestSymbol | undefined): string {
  if (!symbol) return hex(address);
  const offset = address - symbol.address;
  return offset === 0n ? symbol.name : `${symbol.name}+${hex(offset)}`;
}


function describeRange(range: LoadRange): string {
  return `${hex(range.start)}-${hex(range.end)} (${range.executable ? 'code' : 'data'})`;
}
