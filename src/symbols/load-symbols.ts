// Reads a symbol file from disk, ELF or System.map by its content, into a SymbolTable whose errors name the path.
import { readFile } from 'node:fs/promises';
import { parseElfSymbols } from './elf-symbols.js';
import { parseSystemMap } from './system-map.js';
import { SymbolError, SymbolTable } from './symbol-table.js';

/** How much of the file decides binary (ELF or anything else) versus System.map text. */
const SNIFF_BYTES = 4096;

/** The symbol table of an ELF image (vmlinux, Unikraft .dbg, any guest ELF) or a System.map; rejects with SymbolError. */
export async function loadSymbols(path: string): Promise<SymbolTable> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new SymbolError('unreadable', `cannot read symbol file ${path} (${reason}): check guest.symbols`, [], { cause });
  }
  try {
    const parsed = looksBinary(bytes) ? parseElfSymbols(bytes) : parseSystemMap(new TextDecoder().decode(bytes));
    return new SymbolTable(parsed.symbols, { ranges: parsed.ranges, source: path });
  } catch (cause) {
    if (!(cause instanceof SymbolError)) throw cause;
    throw new SymbolError(cause.code, `symbol file ${path}: ${cause.message}`, cause.suggestions, { cause });
  }
}

/** System.map is plain ASCII: any other byte early on sends the file to the ELF parser, which says what it found instead. */
function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, SNIFF_BYTES).some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b > 0x7e);
}
