// Reads a Linux System.map (nm output of vmlinux): `ffffffff81000000 T _stext`, one symbol a line.
import { SymbolError, type GuestSymbol, type SymbolBinding, type SymbolKind } from './symbol-table.js';

/** System.map records no sizes and no segments: every `size` is 0n and `ranges` is undefined. */
export interface SystemMapSymbols {
  symbols: GuestSymbol[];
  ranges: undefined;
  /** Lines that were not `address type name` (blank lines do not count), with the first one for diagnostics. */
  malformedLines: number;
  firstMalformed: { line: number; text: string } | undefined;
}

/**
 * nm type letters. T/t (and i, GNU indirect function) are code. D/d, B/b, R/r, G/g, S/s, C (common), u (unique
 * global) and V/v (nm: "weak object") are data. W/w is "weak, not tagged as an object": usually a __weak
 * function, but nm gives the same letter to untyped weak symbols, so it stays 'other' and is never refused as data.
 * A/a (absolute) and N/n (debug) are not code or data in the image. U (undefined) is not a definition: skipped.
 */
const LETTERS: Record<string, SymbolKind> = {
  T: 'function', t: 'function', i: 'function',
  D: 'object', d: 'object', B: 'object', b: 'object', R: 'object', r: 'object',
  G: 'object', g: 'object', S: 'object', s: 'object', C: 'object', u: 'object', V: 'object', v: 'object',
  W: 'other', w: 'other', A: 'other', a: 'other', N: 'other', n: 'other',
};

const LINE = /^([0-9a-fA-F]{1,16})\s+([A-Za-z])\s+(\S+)$/;
/** Debian ships /boot/System.map-* as this single line and puts the real map in the -dbg package. */
const DEBIAN_STUB = /^f{16} B The real System\.map is in the (\S+) package/m;

/** Symbols of a System.map text; throws SymbolError for Debian's placeholder or a text with no symbol line. */
export function parseSystemMap(text: string): SystemMapSymbols {
  const stub = DEBIAN_STUB.exec(text);
  if (stub) {
    throw new SymbolError(
      'system-map-stub',
      `this is Debian's placeholder System.map, not a symbol table: install ${stub[1]} (e.g. linux-image-$(uname -r)-dbg) and use the System.map or vmlinux it puts under /usr/lib/debug/boot/`,
    );
  }
  const symbols: GuestSymbol[] = [];
  let malformedLines = 0;
  let firstMalformed: SystemMapSymbols['firstMalformed'];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trimEnd();
    if (line === '') continue;
    const match = LINE.exec(line);
    const letter = match?.[2] ?? '';
    if (letter === 'U') continue;
    const kind = LETTERS[letter];
    if (!match || !kind) {
      malformedLines++;
      firstMalformed ??= { line: index + 1, text: line };
      continue;
    }
    symbols.push({ name: match[3]!, address: BigInt(`0x${match[1]}`), size: 0n, kind, binding: binding(letter) });
  }
  if (symbols.length === 0) {
    const first = firstMalformed ? `; line ${firstMalformed.line} is \`${firstMalformed.text.slice(0, 80)}\`` : ' (it is empty)';
    throw new SymbolError('no-symbols', `no \`address type name\` symbol lines (like \`ffffffff81000000 T _stext\`) found${first}`);
  }
  return { symbols, ranges: undefined, malformedLines, firstMalformed };
}

/** Upper case is global, lower case local, V/v/W/w weak; u (GNU unique) is global despite its case. */
function binding(letter: string): SymbolBinding {
  if ('VvWw'.includes(letter)) return 'weak';
  return letter === 'u' || letter === letter.toUpperCase() ? 'global' : 'local';
}
