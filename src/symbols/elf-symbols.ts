// Reads the symbol table and loadable segments of a little-endian ELF32/ELF64 file, checking every offset first.
import { SymbolError, hex, type GuestSymbol, type LoadRange, type SymbolBinding, type SymbolKind } from './symbol-table.js';

/** What an ELF file says about its symbols; `ranges` is undefined when it has no PT_LOAD (a relocatable `.o`). */
export interface ElfSymbols {
  elfClass: 32 | 64;
  /** `.dynsym` only when `.symtab` was stripped, so only exported symbols are known. */
  table: '.symtab' | '.dynsym';
  symbols: GuestSymbol[];
  ranges: LoadRange[] | undefined;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_DYNSYM = 11;
const SHN_UNDEF = 0;
const STT_SECTION = 3;
const STT_FILE = 4;

/** Field offsets and sizes that differ between the two classes. */
const LAYOUT = {
  32: { header: 52, phoff: 28, shoff: 32, sizes: 42, ph: 32, sh: 40, sym: 16 },
  64: { header: 64, phoff: 32, shoff: 40, sizes: 54, ph: 56, sh: 64, sym: 24 },
} as const;

/** Known non-ELF starts, so the error says what the file probably is. */
const OTHER_FORMATS: [number[], string][] = [
  [[0x4d, 0x5a], 'a PE/EFI image such as a bzImage or vmlinuz: use the vmlinux it was built from, or its System.map'],
  [[0x1f, 0x8b], 'gzip data: decompress it first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd data: decompress it first'],
];

/** Symbols (from `.symtab`, else `.dynsym`) and PT_LOAD ranges of an ELF image; throws SymbolError on anything unreadable. */
export function parseElfSymbols(bytes: Uint8Array): ElfSymbols {
  if (bytes.length < 16 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) throw notElf(bytes);
  const elfClass = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined;
  if (!elfClass) throw corrupt(`unknown ELF class ${bytes[4]} (expected 1 for ELF32 or 2 for ELF64)`);
  if (bytes[5] === 2) throw new SymbolError('big-endian', 'big-endian ELF files are not supported (only little-endian targets such as x86 and arm64)');
  if (bytes[5] !== 1) throw corrupt(`unknown ELF data encoding ${bytes[5]} (expected 1, little-endian)`);
  const reader = new Reader(bytes, elfClass);
  const layout = LAYOUT[elfClass];
  reader.need(0, layout.header, 'the ELF header');
  const phoff = reader.offset(layout.phoff);
  const shoff = reader.offset(layout.shoff);
  const [phentsize, phnum, shentsize, shnum] = [0, 2, 4, 6].map((d) => reader.u16(layout.sizes + d)) as [number, number, number, number];
  const sections = readSections(reader, shoff, shentsize, shnum, layout.sh);
  const symtab = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  if (!symtab) {
    throw new SymbolError('no-symbols', 'it has no symbol table (.symtab or .dynsym), so it was stripped; use the unstripped image or its debug file (e.g. Unikraft\'s .dbg)');
  }
  const strtab = sections[symtab.link];
  if (!strtab || strtab.type !== SHT_STRTAB) throw corrupt(`the symbol table links to section ${symtab.link}, which is not a string table`);
  return {
    elfClass,
    table: symtab.type === SHT_SYMTAB ? '.symtab' : '.dynsym',
    symbols: readSymbols(reader, symtab, strtab, layout.sym),
    ranges: readRanges(reader, phoff, phentsize, phnum, layout.ph),
  };
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

function readSections(reader: Reader, shoff: number, entsize: number, count: number, minEntsize: number): Section[] {
  if (shoff === 0 || count === 0) return [];
  if (entsize < minEntsize) throw corrupt(`section header size ${entsize} is smaller than ${minEntsize}`);
  reader.need(shoff, entsize * count, `the section header table (${count} entries)`);
  const sections: Section[] = [];
  for (let i = 0; i < count; i++) {
    const at = shoff + i * entsize;
    const wide = reader.elfClass === 64;
    sections.push({
      type: reader.u32(at + 4),
      offset: reader.offset(at + (wide ? 24 : 16)),
      size: reader.offset(at + (wide ? 32 : 20)),
      link: reader.u32(at + (wide ? 40 : 24)),
      entsize: reader.offset(at + (wide ? 56 : 36)),
    });
  }
  return sections;
}

function readSymbols(reader: Reader, symtab: Section, strtab: Section, minEntsize: number): GuestSymbol[] {
  // Some linkers leave sh_entsize 0; the class fixes the real size.
  const entsize = symtab.entsize === 0 ? minEntsize : symtab.entsize;
  if (entsize < minEntsize) throw corrupt(`symbol entry size ${entsize} is smaller than ${minEntsize}`);
  reader.need(symtab.offset, symtab.size, 'the symbol table');
  reader.need(strtab.offset, strtab.size, 'the symbol string table');
  const strings = reader.bytes.subarray(strtab.offset, strtab.offset + strtab.size);
  const decoder = new TextDecoder();
  const symbols: GuestSymbol[] = [];
  const wide = reader.elfClass === 64;
  for (let at = symtab.offset; at + entsize <= symtab.offset + symtab.size; at += entsize) {
    const nameOffset = reader.u32(at);
    const info = reader.u8(at + (wide ? 4 : 12));
    const shndx = reader.u16(at + (wide ? 6 : 14));
    const type = info & 0xf;
    if (nameOffset === 0 || shndx === SHN_UNDEF || type === STT_SECTION || type === STT_FILE) continue;
    const end = strings.indexOf(0, nameOffset);
    if (nameOffset >= strings.length || end < 0) throw corrupt(`a symbol name at string offset ${nameOffset} runs past the end of its string table`);
    symbols.push({
      name: decoder.decode(strings.subarray(nameOffset, end)),
      address: wide ? reader.u64(at + 8) : BigInt(reader.u32(at + 4)),
      size: wide ? reader.u64(at + 16) : BigInt(reader.u32(at + 8)),
      kind: symbolKind(type),
      binding: symbolBinding(info >> 4),
    });
  }
  return symbols;
}

function readRanges(reader: Reader, phoff: number, entsize: number, count: number, minEntsize: number): LoadRange[] | undefined {
  if (phoff === 0 || count === 0) return undefined;
  if (entsize < minEntsize) throw corrupt(`program header size ${entsize} is smaller than ${minEntsize}`);
  reader.need(phoff, entsize * count, `the program header table (${count} entries)`);
  const ranges: LoadRange[] = [];
  const wide = reader.elfClass === 64;
  for (let at = phoff; at < phoff + entsize * count; at += entsize) {
    if (reader.u32(at) !== PT_LOAD) continue;
    const start = wide ? reader.u64(at + 16) : BigInt(reader.u32(at + 8));
    const memsz = wide ? reader.u64(at + 40) : BigInt(reader.u32(at + 20));
    const flags = reader.u32(at + (wide ? 4 : 24));
    if (memsz > 0n) ranges.push({ start, end: start + memsz, executable: (flags & PF_X) !== 0, writable: (flags & PF_W) !== 0 });
  }
  return ranges.length > 0 ? ranges : undefined;
}

/** STT_FUNC and STT_GNU_IFUNC are code; STT_OBJECT, STT_COMMON and STT_TLS are data; NOTYPE (asm labels) is unknown. */
function symbolKind(type: number): SymbolKind {
  if (type === 2 || type === 10) return 'function';
  if (type === 1 || type === 5 || type === 6) return 'object';
  return 'other';
}

/** STB_GNU_UNIQUE (10) behaves as global. */
function symbolBinding(bind: number): SymbolBinding {
  return bind === 0 ? 'local' : bind === 2 ? 'weak' : 'global';
}

/** Little-endian field access that refuses to read outside the file. */
class Reader {
  readonly #view: DataView;

  constructor(readonly bytes: Uint8Array, readonly elfClass: 32 | 64) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(offset: number, length: number, what: string): void {
    if (offset + length > this.bytes.length) {
      throw corrupt(`${what} at offset ${hex(BigInt(offset))}, ${length} bytes long, ends past the end of the file (${this.bytes.length} bytes): it is truncated or corrupt`);
    }
  }

  u8(offset: number): number {
    this.need(offset, 1, 'a field');
    return this.#view.getUint8(offset);
  }

  u16(offset: number): number {
    this.need(offset, 2, 'a field');
    return this.#view.getUint16(offset, true);
  }

  u32(offset: number): number {
    this.need(offset, 4, 'a field');
    return this.#view.getUint32(offset, true);
  }

  u64(offset: number): bigint {
    this.need(offset, 8, 'a field');
    return this.#view.getBigUint64(offset, true);
  }

  /** An address-sized file offset or size as a number; anything beyond the file is reported when it is used. */
  offset(at: number): number {
    const value = this.elfClass === 64 ? this.u64(at) : BigInt(this.u32(at));
    // Clamp absurd 64-bit values so bounds checks still work on plain numbers.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
}

function corrupt(detail: string): SymbolError {
  return new SymbolError('corrupt-elf', `corrupt ELF file: ${detail}`);
}

function notElf(bytes: Uint8Array): SymbolError {
  const start = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const known = OTHER_FORMATS.find(([magic]) => magic.every((b, i) => bytes[i] === b));
  const guess = known ? `; it looks like ${known[1]}` : '';
  return new SymbolError('not-elf', `not an ELF file (starts with ${bytes.length === 0 ? 'nothing: it is empty' : `${start} ...`})${guess}`);
}
