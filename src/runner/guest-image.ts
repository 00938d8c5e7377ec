// The guest image's functions and line table, read once per file (and again when it changes) in this process:
// scenarios of one guest share them.
import { readFile, stat } from 'node:fs/promises';
import type { Scenario } from '../scenario/model.js';
import { loadSymbols } from '../symbols/load-symbols.js';
import { parseElfSymbols } from '../symbols/elf-symbols.js';
import { readLineTable, type LineTable } from '../symbols/dwarf-lines.js';
import { findSection, openElf } from '../symbols/elf-file.js';
import { guestFunctions, type GuestFunction } from '../coverage/guest-functions.js';

export interface GuestImage {
  /** The symbol file, named in reports. */
  source: string;
  functions: GuestFunction[];
  /** From the symbol file when it is an ELF with DWARF, else from the kernel ELF; undefined when neither has one. */
  lines: LineTable | undefined;
  /** Which file the line table came from. */
  linesFrom: string | undefined;
}

const cache = new Map<string, Promise<GuestImage>>();

/** Rejects with the SymbolError (or file error) that says what is wrong with the symbol file. */
export async function loadGuestImage(scenario: Scenario): Promise<GuestImage> {
  const source = scenario.guest.symbols ?? scenario.guest.kernel;
  if (!source) throw new Error('coverage and profiles name the guest\'s functions, and this guest has no kernel ELF or guest.symbols to read them from');
  const files = [...new Set([source, scenario.guest.kernel].filter((f): f is string => f !== undefined))];
  const stamps = await Promise.all(files.map(async (f) => `${f}@${(await stat(f).catch(() => undefined))?.mtimeMs ?? 'missing'}`));
  const key = stamps.join('|');
  let image = cache.get(key);
  if (!image) {
    image = readImage(source, files);
    cache.set(key, image);
    image.catch(() => cache.delete(key));
  }
  return image;
}

async function readImage(source: string, files: readonly string[]): Promise<GuestImage> {
  const functions = guestFunctions(await loadSymbols(source));
  for (const file of files) {
    const bytes = await readFile(file);
    // A System.map, a compressed kernel image, or an ELF built without -g (Debian's packaged vmlinux is stripped too).
    if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46 || !findSection(openElf(bytes), '.debug_line')) continue;
    const lines = readLineTable(bytes, parseElfSymbols(bytes).ranges);
    if (lines) return { source, functions, lines, linesFrom: file };
  }
  return { source, functions, lines: undefined, linesFrom: undefined };
}
