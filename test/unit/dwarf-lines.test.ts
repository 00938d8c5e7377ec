// Line tables of ELF files built here with the host gcc (DWARF 4 and 5, C with a header and assembly), checked
// span by span against binutils' addr2line, and refusals of truncated tables.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { findSection, openElf } from '../../src/symbols/elf-file.js';
import { parseElfSymbols } from '../../src/symbols/elf-symbols.js';
import { readLineTable, type LineTable } from '../../src/symbols/dwarf-lines.js';
import { SymbolError } from '../../src/symbols/symbol-table.js';
import { buildFolder } from './support/build-folder.js';

const HEADER = `
static inline int twice(int x) {
  return x * 2;
}
`;
const SOURCE = `
#include "twice.h"
volatile int sink;
__attribute__((noinline)) int helper(int x) {
  if (x > 3)
    return twice(x);
  return x + 1;
}
void entry_c(void) {
  for (int i = 0; i < 5; i++)
    sink += helper(i);
  for (;;) {}
}
`;
const ASSEMBLY = `
  .globl _start
_start:
  call entry_c
  hlt
`;
const CFLAGS = ['-O1', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fcf-protection=none', '-Wa,--noexecstack', '-nostdlib', '-static', '-no-pie'];

const { file, run } = buildFolder('dwarf-lines-');

beforeAll(() => {
  writeFileSync(file('twice.h'), HEADER);
  writeFileSync(file('x.c'), SOURCE);
  writeFileSync(file('start.S'), ASSEMBLY);
  for (const version of [4, 5]) {
    run('gcc', [...CFLAGS, `-gdwarf-${version}`, '-o', file(`x-dwarf${version}.elf`), file('start.S'), file('x.c')]);
  }
  run('gcc', [...CFLAGS, '-o', file('x-nodebug.elf'), file('start.S'), file('x.c')]);
});

function tableOf(name: string): LineTable | undefined {
  const bytes = readFileSync(file(name));
  return readLineTable(bytes, parseElfSymbols(bytes).ranges);
}

function spans(table: LineTable): { address: bigint; end: bigint; where: string }[] {
  return Array.from({ length: table.length }, (_, i) => ({
    address: table.base + BigInt(table.start[i]!),
    end: table.base + BigInt(table.end[i]!),
    where: `${table.files[table.file[i]!]}:${table.line[i]}`,
  }));
}

/** addr2line's file:line for each address, discriminators left out. */
function addr2line(elf: string, addresses: bigint[]): string[] {
  const out = run('addr2line', ['-e', file(elf), ...addresses.map((a) => `0x${a.toString(16)}`)]);
  return out.trim().split('\n').map((line) => line.replace(/ \(discriminator \d+\)$/, ''));
}

describe.each([4, 5])('DWARF %i line table', (version) => {
  const elf = `x-dwarf${version}.elf`;

  test('names the file and line addr2line names at the start of every span', () => {
    const table = tableOf(elf)!;
    const found = spans(table);
    expect(found.length).toBeGreaterThan(10);
    expect(found.map((s) => s.where)).toEqual(addr2line(elf, found.map((s) => s.address)));
  });

  test('spans are ascending, do not overlap, and cover the code of each source', () => {
    const found = spans(tableOf(elf)!);
    for (let i = 1; i < found.length; i++) expect(found[i]!.address).toBeGreaterThanOrEqual(found[i - 1]!.end);
    const where = new Set(found.map((s) => s.where));
    expect(where).toContain(`${file('start.S')}:4`);
    expect(where).toContain(`${file('twice.h')}:3`);
    expect(where).toContain(`${file('x.c')}:11`);
    expect([...where].filter((w) => w.startsWith(file('x.c'))).length).toBeGreaterThanOrEqual(5);
  });

  test('the line of an address inside a span is the span\'s (what addr2line says there)', () => {
    const table = tableOf(elf)!;
    const wide = spans(table).filter((s) => s.end - s.address > 1n);
    const inside = wide.map((s) => s.address + 1n);
    expect(wide.map((s) => s.where)).toEqual(addr2line(elf, inside));
  });
});

describe('images without a usable line table', () => {
  test('an image built without -g has none: undefined, not an error', () => {
    expect(tableOf('x-nodebug.elf')).toBeUndefined();
  });

  test('a truncated .debug_line is refused as corrupt, naming the section', () => {
    const bytes = new Uint8Array(readFileSync(file('x-dwarf5.elf')));
    const elf = openElf(bytes);
    const section = findSection(elf, '.debug_line')!;
    // The first unit claims to be longer than the section.
    new DataView(bytes.buffer).setUint32(section.offset, section.size + 100, true);
    const error = (() => {
      try {
        readLineTable(bytes, parseElfSymbols(bytes).ranges);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SymbolError);
    expect((error as SymbolError).code).toBe('corrupt-elf');
    expect((error as SymbolError).message).toMatch(/\.debug_line: its length \d+ runs past the end of \.debug_line/);
  });

  test('an unknown DWARF version is refused, naming the versions read', () => {
    const bytes = new Uint8Array(readFileSync(file('x-dwarf4.elf')));
    const section = findSection(openElf(bytes), '.debug_line')!;
    new DataView(bytes.buffer).setUint16(section.offset + 4, 9, true);
    expect(() => readLineTable(bytes, parseElfSymbols(bytes).ranges)).toThrow(/DWARF version 9 \(versions 2 to 5 are read\)/);
  });
});
