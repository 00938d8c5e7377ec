// Opens an ELF file: checks its identification, reads its header and names its sections (offsets checked first).
import { SymbolError } from './symbol-table.js';
import { ElfReader, corrupt } from './elf-reader.js';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** Field offsets and sizes that differ between the two classes. */
export const LAYOUT = {
  32: { header: 52, phoff: 28, shoff: 32, sizes: 42, ph: 32, sh: 40, sym: 16 },
  64: { header: 64, phoff: 32, shoff: 40, sizes: 54, ph: 56, sh: 64, sym: 24 },
} as const;

/** Known non-ELF starts, so the error says what the file probably is. */
const OTHER_FORMATS: [number[], string][] = [
  [[0x4d, 0x5a], 'a PE/EFI image such as a compressed Linux kernel (vmlinuz): use the vmlinux it was built from, or its System.map'],
  [[0x1f, 0x8b], 'gzip data: decompress it first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd data: decompress it first'],
];

/** An ELF file's reader, class, sections and where its program headers are. */
export interface ElfFile {
  reader: ElfReader;
  elfClass: 32 | 64;
  sections: ElfSection[];
  programHeaders: { offset: number; entsize: number; count: number };
}

/** The file's header and section headers; throws SymbolError when it is not a little-endian ELF file or is truncated. */
export function openElf(bytes: Uint8Array): ElfFile {
  if (bytes.length < 16 || ELF_MAGIC.some((b, i) => bytes[i] !== b)) throw notElf(bytes);
  const elfClass = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined;
  if (!elfClass) throw corrupt(`unknown ELF class ${bytes[4]} (expected 1 for ELF32 or 2 for ELF64)`);
  if (bytes[5] === 2) throw new SymbolError('big-endian', 'big-endian ELF files are not supported (only little-endian targets)');
  if (bytes[5] !== 1) throw corrupt(`unknown ELF data encoding ${bytes[5]} (expected 1, little-endian)`);
  const reader = new ElfReader(bytes, elfClass);
  const layout = LAYOUT[elfClass];
  reader.need(0, layout.header, 'the ELF header');
  const phoff = reader.offset(layout.phoff);
  const shoff = reader.offset(layout.shoff);
  const [phentsize, phnum, shentsize, shnum] = [0, 2, 4, 6].map((d) => reader.u16(layout.sizes + d)) as [number, number, number, number];
  const shstrndx = reader.u16(layout.sizes + 8);
  const sections = readSections(reader, shoff, shentsize, shnum, layout.sh, shstrndx);
  return { reader, elfClass, sections, programHeaders: { offset: phoff, entsize: phentsize, count: phnum } };
}

/** The section of that name, if the file has it. */
export function findSection(file: ElfFile, name: string): ElfSection | undefined {
  return file.sections.find((s) => s.name === name);
}

/** A section header, its name read from the section name string table. */
export interface ElfSection {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

function readSections(reader: ElfReader, shoff: number, entsize: number, count: number, minEntsize: number, namesIndex: number): ElfSection[] {
  if (shoff === 0 || count === 0) return [];
  if (entsize < minEntsize) throw corrupt(`section header size ${entsize} is smaller than ${minEntsize}`);
  reader.need(shoff, entsize * count, `the section header table (${count} entries)`);
  const wide = reader.elfClass === 64;
  const headers = Array.from({ length: count }, (_, i) => {
    const at = shoff + i * entsize;
    return {
      nameOffset: reader.u32(at),
      type: reader.u32(at + 4),
      offset: reader.offset(at + (wide ? 24 : 16)),
      size: reader.offset(at + (wide ? 32 : 20)),
      link: reader.u32(at + (wide ? 40 : 24)),
      entsize: reader.offset(at + (wide ? 56 : 36)),
    };
  });
  const names = headers[namesIndex];
  if (names) reader.need(names.offset, names.size, 'the section name string table');
  const decoder = new TextDecoder();
  return headers.map(({ nameOffset, ...header }) => {
    if (!names || nameOffset >= names.size) return { name: '', ...header };
    const start = names.offset + nameOffset;
    const end = reader.bytes.indexOf(0, start);
    return { name: decoder.decode(reader.bytes.subarray(start, end < 0 || end > names.offset + names.size ? names.offset + names.size : end)), ...header };
  });
}

function notElf(bytes: Uint8Array): SymbolError {
  const start = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const known = OTHER_FORMATS.find(([magic]) => magic.every((b, i) => bytes[i] === b));
  const guess = known ? `; it looks like ${known[1]}` : '';
  return new SymbolError('not-elf', `not an ELF file (starts with ${bytes.length === 0 ? 'nothing: it is empty' : `${start} ...`})${guess}`);
}
