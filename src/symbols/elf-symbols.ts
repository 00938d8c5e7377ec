// Reads the symbol table and loadable segments of a little-endian ELF32/ELF64 file, checking every offset first.
import { LAYOUT, openElf, type ElfSection } from './elf-file.js';
import { corrupt, type ElfReader } from './elf-reader.js';
import { SymbolError, type GuestSymbol, type LoadRange, type SymbolBinding, type SymbolKind } from './symbol-table.js';

/** What an ELF file says about its symbols; `ranges` is undefined when it has no PT_LOAD (a relocatable `.o`). */
export interface ElfSymbols {
  elfClass: 32 | 64;
  /** `.dynsym` only when `.symtab` was stripped, so only exported symbols are known. */
  table: '.symtab' | '.dynsym';
  symbols: GuestSymbol[];
  ranges: LoadRange[] | undefined;
}

const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_DYNSYM = 11;
const SHN_UNDEF = 0;
const STT_SECTION = 3;
const STT_FILE = 4;

/** Symbols (from `.symtab`, else `.dynsym`) and PT_LOAD ranges of an ELF image; throws SymbolError on anything unreadable. */
export function parseElfSymbols(bytes: Uint8Array): ElfSymbols {
  const { reader, elfClass, sections, programHeaders } = openElf(bytes);
  const symtab = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  if (!symtab) {
    throw new SymbolError('no-symbols', 'it has no symbol table (.symtab or .dynsym), so it was stripped; use the unstripped image or its debug file (e.g. Unikraft\'s .dbg)');
  }
  const strtab = sections[symtab.link];
  if (!strtab || strtab.type !== SHT_STRTAB) throw corrupt(`the symbol table links to section ${symtab.link}, which is not a string table`);
  return {
    elfClass,
    table: symtab.type === SHT_SYMTAB ? '.symtab' : '.dynsym',
    symbols: readSymbols(reader, symtab, strtab, LAYOUT[elfClass].sym),
    ranges: readRanges(reader, programHeaders.offset, programHeaders.entsize, programHeaders.count, LAYOUT[elfClass].ph),
  };
}

function readSymbols(reader: ElfReader, symtab: ElfSection, strtab: ElfSection, minEntsize: number): GuestSymbol[] {
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

function readRanges(reader: ElfReader, phoff: number, entsize: number, count: number, minEntsize: number): LoadRange[] | undefined {
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
