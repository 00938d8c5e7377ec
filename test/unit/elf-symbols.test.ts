// ELF files are built here with the host gcc/binutils rather than committed, and checked against nm and readelf.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseElfSymbols, type ElfSymbols } from '../../src/symbols/elf-symbols.js';
import { SymbolError, type GuestSymbol } from '../../src/symbols/symbol-table.js';
import { mulberry32 } from './chunkings.js';
import { buildFolder } from './support/build-folder.js';

const SOURCE = `
int counter_global = 3;
static int counter_static;
const char message[] = "hi";
static __attribute__((noinline)) int helper(int x) { return x + counter_static; }
__attribute__((weak)) int weak_hook(void) { return 1; }
int main(void) { counter_static = helper(counter_global) + message[0] + weak_hook(); for (;;) {} }
`;
const CFLAGS = ['-O1', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fcf-protection=none'];

const { file, run } = buildFolder('elf-symbols-');

beforeAll(() => {
  writeFileSync(file('x.c'), SOURCE);
  run('gcc', [...CFLAGS, '-c', '-o', file('x.o'), file('x.c')]);
  run('gcc', [...CFLAGS, '-nostdlib', '-static', '-no-pie', '-Wl,-e,main', '-o', file('x.elf'), file('x.c')]);
  // ELF32 without multilib, as the project's multiboot guest is made.
  run('objcopy', ['-O', 'elf32-i386', file('x.elf'), file('x32.elf')]);
  run('gcc', [...CFLAGS, '-shared', '-fPIC', '-nostdlib', '-o', file('x.so'), file('x.c')]);
  run('strip', ['-o', file('x-stripped.so'), file('x.so')]);
  run('strip', ['-o', file('x-stripped.elf'), file('x.elf')]);
});

function parse(name: string): ElfSymbols {
  return parseElfSymbols(readFileSync(file(name)));
}

/** `nm --defined-only` as name@address -> type letter. */
function nm(name: string, dynamic = false): Map<string, string> {
  const out = run('nm', ['--defined-only', ...(dynamic ? ['-D'] : []), file(name)]);
  const symbols = new Map<string, string>();
  for (const line of out.split('\n')) {
    const match = /^([0-9a-f]+) (\w) (\S+)$/.exec(line);
    if (match) symbols.set(`${match[3]}@${BigInt(`0x${match[1]}`)}`, match[2]!);
  }
  return symbols;
}

/** PT_LOAD segments from `readelf -lW`: start, end and whether E and W are in the flags. */
function readelfLoads(name: string): { start: bigint; end: bigint; executable: boolean; writable: boolean }[] {
  const loads = [];
  for (const line of run('readelf', ['-lW', file(name)]).split('\n')) {
    const match = /^\s*LOAD\s+\S+\s+(0x[0-9a-f]+)\s+\S+\s+\S+\s+(0x[0-9a-f]+)\s+([RWE ]+?)\s+0x/.exec(line);
    if (match && BigInt(match[2]!) > 0n) loads.push({ start: BigInt(match[1]!), end: BigInt(match[1]!) + BigInt(match[2]!), executable: match[3]!.includes('E'), writable: match[3]!.includes('W') });
  }
  return loads;
}

function keyed(symbols: GuestSymbol[]): Set<string> {
  return new Set(symbols.map((s) => `${s.name}@${s.address}`));
}

function find(parsed: ElfSymbols, name: string): GuestSymbol | undefined {
  return parsed.symbols.find((s) => s.name === name);
}

/** The error parseElfSymbols raises for `bytes`; fails the test if it returns or throws anything but SymbolError. */
function errorFor(bytes: Uint8Array): SymbolError {
  try {
    parseElfSymbols(bytes);
  } catch (error) {
    if (error instanceof SymbolError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

describe.each([
  ['x.elf', 64],
  ['x32.elf', 32],
  ['x.o', 64],
] as const)('%s', (name, elfClass) => {
  test('has exactly the symbols nm lists, at the same addresses', () => {
    const parsed = parse(name);
    expect(parsed.elfClass).toBe(elfClass);
    expect(parsed.table).toBe('.symtab');
    expect(keyed(parsed.symbols)).toEqual(new Set(nm(name).keys()));
  });

  test('kinds and bindings agree with the source', () => {
    const parsed = parse(name);
    expect(find(parsed, 'main')).toMatchObject({ kind: 'function', binding: 'global' });
    expect(find(parsed, 'helper')).toMatchObject({ kind: 'function', binding: 'local' });
    expect(find(parsed, 'weak_hook')).toMatchObject({ kind: 'function', binding: 'weak' });
    expect(find(parsed, 'counter_global')).toMatchObject({ kind: 'object', binding: 'global', size: 4n });
    expect(find(parsed, 'counter_static')).toMatchObject({ kind: 'object', binding: 'local', size: 4n });
    expect(find(parsed, 'message')).toMatchObject({ kind: 'object', size: 3n });
    expect(find(parsed, 'main')!.size).toBeGreaterThan(0n);
  });

  test('nm agrees on which symbols are code', () => {
    const parsed = parse(name);
    const letters = nm(name);
    for (const symbol of parsed.symbols.filter((s) => s.kind !== 'other')) {
      const letter = letters.get(`${symbol.name}@${symbol.address}`)!;
      expect(`${symbol.name} ${'TtWw'.includes(letter) ? 'function' : 'object'}`).toBe(`${symbol.name} ${symbol.kind}`);
    }
  });
});

describe('load ranges', () => {
  test.each(['x.elf', 'x32.elf'])('%s: the PT_LOAD segments readelf shows', (name) => {
    const ranges = parse(name).ranges!;
    expect(ranges).toEqual(readelfLoads(name));
    expect(ranges.some((r) => r.executable)).toBe(true);
    const main = find(parse(name), 'main')!;
    expect(ranges.find((r) => main.address >= r.start && main.address < r.end)?.executable).toBe(true);
  });

  test('a relocatable object has none', () => {
    expect(parse('x.o').ranges).toBeUndefined();
  });
});

describe('stripped files', () => {
  test('a stripped shared object falls back to .dynsym', () => {
    const parsed = parse('x-stripped.so');
    expect(parsed.table).toBe('.dynsym');
    expect(keyed(parsed.symbols)).toEqual(new Set(nm('x-stripped.so', true).keys()));
    expect(find(parsed, 'main')?.kind).toBe('function');
    expect(find(parsed, 'helper')).toBeUndefined();
  });

  test('a stripped executable has no symbols: use the unstripped image', () => {
    const error = errorFor(readFileSync(file('x-stripped.elf')));
    expect(error.code).toBe('no-symbols');
    expect(error.message).toContain('stripped');
  });
});

describe('not ELF', () => {
  test('a PE image is named by its first bytes and guessed', () => {
    const error = errorFor(new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xb8]));
    expect(error.code).toBe('not-elf');
    expect(error.message).toMatch(/^not an ELF file \(starts with 4d 5a 90 00 03 00 00 00 \.\.\.\); it looks like a PE\/EFI image/);
  });

  test('an empty file', () => {
    expect(errorFor(new Uint8Array()).message).toBe('not an ELF file (starts with nothing: it is empty)');
  });

  test('big-endian is refused by name', () => {
    const bytes = new Uint8Array(readFileSync(file('x.elf')));
    bytes[5] = 2;
    expect(errorFor(bytes).code).toBe('big-endian');
  });

  test('an unknown class is corrupt', () => {
    const bytes = new Uint8Array(readFileSync(file('x.elf')));
    bytes[4] = 3;
    expect(errorFor(bytes).message).toContain('unknown ELF class 3');
  });
});

describe('corrupt files give a SymbolError, never a RangeError', () => {
  test.each(['x.elf', 'x32.elf', 'x.o'])('%s truncated anywhere', (name) => {
    const bytes = readFileSync(file(name));
    // Section headers sit at the end, so every cut loses something the parser needs.
    for (let cut = 0; cut < bytes.length; cut += Math.max(1, Math.floor(bytes.length / 200))) {
      const error = errorFor(bytes.subarray(0, cut));
      expect(['not-elf', 'corrupt-elf']).toContain(error.code);
    }
    expect(errorFor(bytes.subarray(0, bytes.length - 1)).message).toMatch(/past the end of the file \(\d+ bytes\): it is truncated or corrupt$/);
  });

  test.each([
    ['x.elf', 40, 8],
    ['x32.elf', 32, 4],
  ])('%s with e_shoff beyond the end', (name, at, width) => {
    const bytes = new Uint8Array(readFileSync(file(name)));
    for (const value of [bytes.length, 0xffffffff]) {
      new DataView(bytes.buffer).setUint32(at, value, true);
      if (width === 8) new DataView(bytes.buffer).setUint32(at + 4, value === 0xffffffff ? 0xffffffff : 0, true);
      expect(errorFor(bytes).message).toMatch(/^corrupt ELF file: the section header table .* ends past the end of the file/);
    }
  });

  test('random byte flips in the headers never escape as another exception', () => {
    const original = readFileSync(file('x.elf'));
    const shoff = Number(new DataView(original.buffer, original.byteOffset).getBigUint64(40, true));
    const random = mulberry32(7);
    let refused = 0;
    for (let round = 0; round < 500; round++) {
      const bytes = new Uint8Array(original);
      for (let flip = 0; flip < 4; flip++) {
        // Aim at the ELF header, program headers and section headers, where offsets live.
        const region = random() < 0.5 ? Math.floor(random() * 256) : shoff + Math.floor(random() * (bytes.length - shoff));
        bytes[region] = Math.floor(random() * 256);
      }
      try {
        parseElfSymbols(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(SymbolError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
