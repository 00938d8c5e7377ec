// Reads the DWARF line tables (.debug_line, versions 2 to 5) of a linked ELF image into address spans, each with
// its source file and line: what coverage needs to name the lines a block of code belongs to, and to list the
// lines that never ran. addr2line answers one address at a time and cannot list the lines an image has.
import { findSection, openElf, type ElfFile, type ElfSection } from './elf-file.js';
import { SymbolError, hex, type LoadRange } from './symbol-table.js';

/**
 * Address spans in ascending order: span i covers [base + start[i], base + end[i]) and comes from line `line[i]`
 * of `files[file[i]]`. Offsets from `base` are plain numbers, exact because an image spans far less than 2^53.
 */
export interface LineTable {
  base: bigint;
  files: string[];
  start: Float64Array;
  end: Float64Array;
  file: Uint32Array;
  line: Uint32Array;
  length: number;
}

const UTF8 = new TextDecoder();
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNS_set_file = 4;
const DW_LNS_const_add_pc = 8;
const DW_LNS_fixed_advance_pc = 9;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;
const DW_LNE_define_file = 3;
const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

const DW_FORM = {
  block: 0x09, block1: 0x0a, block2: 0x03, block4: 0x04,
  data1: 0x0b, data2: 0x05, data4: 0x06, data8: 0x07, data16: 0x1e,
  string: 0x08, strp: 0x0e, line_strp: 0x1f, udata: 0x0f, sdata: 0x0d,
  strx: 0x1a, strx1: 0x25, strx2: 0x26, strx3: 0x27, strx4: 0x28,
} as const;

/** The line table of an ELF image, or undefined when it has no .debug_line (built without -g, or stripped). */
export function readLineTable(bytes: Uint8Array, ranges: readonly LoadRange[] | undefined): LineTable | undefined {
  const elf = openElf(bytes);
  const section = findSection(elf, '.debug_line');
  if (!section || section.size === 0) return undefined;
  elf.reader.need(section.offset, section.size, 'the .debug_line section');
  const code = (ranges ?? []).filter((r) => r.executable);
  const base = code.length > 0 ? code.reduce((low, r) => (r.start < low ? r.start : low), code[0]!.start) : 0n;
  const builder = new SpanBuilder(base, code);
  const strings = { line: sectionBytes(elf, '.debug_line_str'), str: sectionBytes(elf, '.debug_str'), decoded: new Map<number, string>() };
  let at = section.offset;
  const end = section.offset + section.size;
  while (at < end) at = readUnit(new Cursor(bytes, at, end), strings, builder);
  return builder.finish();
}

interface StringSections {
  line: Uint8Array | undefined;
  str: Uint8Array | undefined;
  /** Units share their directories and headers: each string is decoded once, by section and offset. */
  decoded: Map<number, string>;
}

function sectionBytes(elf: ElfFile, name: string): Uint8Array | undefined {
  const section: ElfSection | undefined = findSection(elf, name);
  if (!section) return undefined;
  elf.reader.need(section.offset, section.size, `the ${name} section`);
  return elf.reader.bytes.subarray(section.offset, section.offset + section.size);
}

/** Reads one line number program (a compilation unit's); returns the offset of the next. */
function readUnit(cursor: Cursor, strings: StringSections, builder: SpanBuilder): number {
  const unitStart = cursor.at;
  let length = cursor.u32();
  let offsetSize = 4;
  if (length === 0xffffffff) {
    length = Number(cursor.u64());
    offsetSize = 8;
  }
  const unitEnd = cursor.at + length;
  if (unitEnd > cursor.end) throw bad(unitStart, `its length ${length} runs past the end of .debug_line`);
  const version = cursor.u16();
  if (version < 2 || version > 5) throw bad(unitStart, `DWARF version ${version} (versions 2 to 5 are read)`);
  let addressSize = 0;
  if (version >= 5) {
    addressSize = cursor.u8();
    cursor.u8();
  }
  const headerLength = offsetSize === 8 ? Number(cursor.u64()) : cursor.u32();
  const programStart = cursor.at + headerLength;
  const minInstructionLength = cursor.u8();
  if (version >= 4) cursor.u8();
  cursor.u8(); // default_is_stmt: statement and non-statement rows both name a line
  const lineBase = (cursor.u8() << 24) >> 24;
  const lineRange = cursor.u8();
  const opcodeBase = cursor.u8();
  if (lineRange === 0) throw bad(unitStart, 'its line_range is 0');
  const opcodeLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) opcodeLengths.push(cursor.u8());
  const files = version >= 5 ? readFilesV5(cursor, strings, offsetSize, unitStart) : readFilesV4(cursor);
  // Files 1..n in DWARF 2-4 (0 is unused), 0..n-1 in DWARF 5: one lookup for both, by the register's value.
  // A unit lists every header it includes; only the files its rows name are given an id.
  const firstFile = version >= 5 ? 0 : 1;
  const fileIds: (number | undefined)[] = [];
  const fileOf = (register: number): number => {
    const index = register - firstFile;
    const known = fileIds[index];
    if (known !== undefined) return known;
    const name = files[index] ?? `<file ${register} of the line table at .debug_line+${hex(BigInt(unitStart))}>`;
    return (fileIds[index] = builder.fileId(name));
  };
  cursor.at = programStart;
  const constAddPc = Math.floor((255 - opcodeBase) / lineRange) * minInstructionLength;

  let address = 0;
  let file = 1;
  let line = 1;
  const row = (): void => builder.row(address, fileOf(file), line);
  const reset = (): void => {
    address = 0;
    file = 1;
    line = 1;
  };
  while (cursor.at < unitEnd) {
    const opcode = cursor.u8();
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      address += Math.floor(adjusted / lineRange) * minInstructionLength;
      line += lineBase + (adjusted % lineRange);
      row();
    } else if (opcode === 0) {
      const size = cursor.uleb();
      const next = cursor.at + size;
      const sub = size > 0 ? cursor.u8() : -1;
      if (sub === DW_LNE_end_sequence) {
        row();
        builder.endSequence();
        reset();
      } else if (sub === DW_LNE_set_address) {
        address = builder.setAddress(cursor.address(addressSize || size - 1));
      } else if (sub === DW_LNE_define_file) {
        files.push(cursor.cstring());
      }
      cursor.at = next;
    } else if (opcode === DW_LNS_copy) {
      row();
    } else if (opcode === DW_LNS_advance_pc) {
      address += cursor.uleb() * minInstructionLength;
    } else if (opcode === DW_LNS_advance_line) {
      line += cursor.sleb();
    } else if (opcode === DW_LNS_set_file) {
      file = cursor.uleb();
    } else if (opcode === DW_LNS_const_add_pc) {
      address += constAddPc;
    } else if (opcode === DW_LNS_fixed_advance_pc) {
      address += cursor.u16();
    } else {
      // Column, stmt, basic block, prologue, epilogue, ISA and opcodes of later versions: their operands are skipped.
      for (let i = 0; i < opcodeLengths[opcode]!; i++) cursor.uleb();
    }
  }
  return unitEnd;
}

function readFilesV4(cursor: Cursor): string[] {
  const directories = [''];
  for (let name = cursor.cstring(); name !== ''; name = cursor.cstring()) directories.push(name);
  const files: string[] = [];
  for (let name = cursor.cstring(); name !== ''; name = cursor.cstring()) {
    const directory = directories[cursor.uleb()] ?? '';
    cursor.uleb();
    cursor.uleb();
    files.push(joinPath(directory, name));
  }
  return files;
}

function readFilesV5(cursor: Cursor, strings: StringSections, offsetSize: number, unitStart: number): string[] {
  const directories = readEntriesV5(cursor, strings, offsetSize, unitStart).map((entry) => entry.path);
  const compilationDirectory = directories[0] ?? '';
  return readEntriesV5(cursor, strings, offsetSize, unitStart).map((entry) => {
    const directory = entry.directory === 0 ? compilationDirectory : joinPath(compilationDirectory, directories[entry.directory] ?? '');
    return joinPath(directory, entry.path);
  });
}

function readEntriesV5(cursor: Cursor, strings: StringSections, offsetSize: number, unitStart: number): { path: string; directory: number }[] {
  const formatCount = cursor.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([cursor.uleb(), cursor.uleb()]);
  const count = cursor.uleb();
  const entries: { path: string; directory: number }[] = [];
  for (let i = 0; i < count; i++) {
    const entry = { path: '', directory: 0 };
    for (const [content, form] of formats) {
      const value = readForm(cursor, form, strings, offsetSize, unitStart);
      if (content === DW_LNCT_path && typeof value === 'string') entry.path = value;
      if (content === DW_LNCT_directory_index && typeof value === 'number') entry.directory = value;
    }
    entries.push(entry);
  }
  return entries;
}

function readForm(cursor: Cursor, form: number, strings: StringSections, offsetSize: number, unitStart: number): string | number | undefined {
  switch (form) {
    case DW_FORM.string:
      return cursor.cstring();
    case DW_FORM.line_strp:
    case DW_FORM.strp: {
      const offset = offsetSize === 8 ? Number(cursor.u64()) : cursor.u32();
      const section = form === DW_FORM.line_strp ? strings.line : strings.str;
      const name = form === DW_FORM.line_strp ? '.debug_line_str' : '.debug_str';
      if (!section || offset >= section.length) throw bad(unitStart, `a file name at ${name}+${hex(BigInt(offset))}, which the image does not have`);
      const key = form === DW_FORM.line_strp ? offset : -1 - offset;
      let text = strings.decoded.get(key);
      if (text === undefined) {
        const end = section.indexOf(0, offset);
        strings.decoded.set(key, (text = UTF8.decode(section.subarray(offset, end < 0 ? section.length : end))));
      }
      return text;
    }
    case DW_FORM.udata:
      return cursor.uleb();
    case DW_FORM.sdata:
      return cursor.sleb();
    case DW_FORM.data1:
      return cursor.u8();
    case DW_FORM.data2:
      return cursor.u16();
    case DW_FORM.data4:
      return cursor.u32();
    case DW_FORM.data8:
      cursor.at += 8;
      return undefined;
    case DW_FORM.data16:
      cursor.at += 16;
      return undefined;
    case DW_FORM.block:
      cursor.at += cursor.uleb();
      return undefined;
    case DW_FORM.block1:
      cursor.at += cursor.u8();
      return undefined;
    case DW_FORM.block2:
      cursor.at += cursor.u16();
      return undefined;
    case DW_FORM.block4:
      cursor.at += cursor.u32();
      return undefined;
    default:
      throw bad(unitStart, `a file entry in form ${hex(BigInt(form))}, which needs .debug_str_offsets (not read); build with -gdwarf-4 or a toolchain that writes line_strp`);
  }
}

function joinPath(directory: string, name: string): string {
  if (name.startsWith('/') || directory === '') return name;
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}

/** Turns rows into spans, keeping only sequences in the image's code (the linker parks discarded ones at 0 or ~0). */
class SpanBuilder {
  readonly #files: string[] = [];
  readonly #fileIds = new Map<string, number>();
  #start = new Float64Array(1024);
  #end = new Float64Array(1024);
  #file = new Uint32Array(1024);
  #line = new Uint32Array(1024);
  #length = 0;
  #kept = false;
  /** The sequence's row before the current one; a negative line means none yet. */
  #previousAddress = 0;
  #previousFile = 0;
  #previousLine = -1;

  constructor(readonly base: bigint, readonly code: readonly LoadRange[]) {}

  fileId(name: string): number {
    let id = this.#fileIds.get(name);
    if (id === undefined) {
      id = this.#files.length;
      this.#files.push(name);
      this.#fileIds.set(name, id);
    }
    return id;
  }

  /** The offset from base that later advances count from; marks the sequence kept or dropped. */
  setAddress(address: bigint): number {
    this.#kept = this.code.length > 0 ? this.code.some((r) => address >= r.start && address < r.end) : address !== 0n && address < 1n << 53n;
    return this.#kept ? Number(address - this.base) : 0;
  }

  row(address: number, file: number, line: number): void {
    if (!this.#kept) return;
    if (address > this.#previousAddress && this.#previousLine > 0) {
      if (this.#length === this.#start.length) this.#grow();
      const at = this.#length++;
      this.#start[at] = this.#previousAddress;
      this.#end[at] = address;
      this.#file[at] = this.#previousFile;
      this.#line[at] = this.#previousLine;
    }
    this.#previousAddress = address;
    this.#previousFile = file;
    this.#previousLine = line;
  }

  endSequence(): void {
    this.#previousLine = -1;
    this.#kept = false;
  }

  #grow(): void {
    const capacity = this.#start.length * 2;
    const grown = <T extends Float64Array | Uint32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.#start = grown(this.#start, new Float64Array(capacity));
    this.#end = grown(this.#end, new Float64Array(capacity));
    this.#file = grown(this.#file, new Uint32Array(capacity));
    this.#line = grown(this.#line, new Uint32Array(capacity));
  }

  finish(): LineTable {
    const length = this.#length;
    const table: LineTable = {
      base: this.base,
      files: this.#files,
      start: this.#start.slice(0, length),
      end: this.#end.slice(0, length),
      file: this.#file.slice(0, length),
      line: this.#line.slice(0, length),
      length,
    };
    // Compilation units come in link order, so the spans are usually sorted already.
    let sorted = true;
    for (let i = 1; i < length && sorted; i++) sorted = table.start[i - 1]! <= table.start[i]!;
    if (sorted) return table;
    const order = Uint32Array.from({ length }, (_, i) => i).sort((a, b) => table.start[a]! - table.start[b]!);
    return {
      ...table,
      start: Float64Array.from(order, (i) => table.start[i]!),
      end: Float64Array.from(order, (i) => table.end[i]!),
      file: order.map((i) => table.file[i]!),
      line: order.map((i) => table.line[i]!),
    };
  }
}

/** Little-endian reads within one unit; a read past its end is a corrupt table, not a crash. */
class Cursor {
  readonly #view: DataView;

  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #need(size: number): number {
    const at = this.at;
    if (at + size > this.end) throw new SymbolError('corrupt-elf', `corrupt .debug_line: a field at file offset ${hex(BigInt(at))} runs past the end of the section`);
    this.at = at + size;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#need(1));
  }

  u16(): number {
    return this.#view.getUint16(this.#need(2), true);
  }

  u32(): number {
    return this.#view.getUint32(this.#need(4), true);
  }

  u64(): bigint {
    return this.#view.getBigUint64(this.#need(8), true);
  }

  address(size: number): bigint {
    if (size === 8) return this.u64();
    if (size === 4) return BigInt(this.u32());
    throw new SymbolError('corrupt-elf', `corrupt .debug_line: an address of ${size} bytes at file offset ${hex(BigInt(this.at))} (4 or 8 are read)`);
  }

  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return byte & 0x40 ? result - scale : result;
    }
  }

  cstring(): string {
    const end = this.bytes.indexOf(0, this.at);
    if (end < 0 || end >= this.end) throw new SymbolError('corrupt-elf', `corrupt .debug_line: a name at file offset ${hex(BigInt(this.at))} has no terminating NUL`);
    const text = UTF8.decode(this.bytes.subarray(this.at, end));
    this.at = end + 1;
    return text;
  }
}

function bad(unitStart: number, detail: string): SymbolError {
  return new SymbolError('corrupt-elf', `cannot read the line table at file offset ${hex(BigInt(unitStart))} of .debug_line: ${detail}`);
}
