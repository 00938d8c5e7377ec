// Reads real files: the reference guest (built here if missing) and the System.map fixtures.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSymbols } from '../../src/symbols/load-symbols.js';
import { SymbolError, type ResolvedSymbol, type SymbolTable } from '../../src/symbols/symbol-table.js';

const REFERENCE = fileURLToPath(new URL('../../guests/reference/', import.meta.url));
const ELF64 = join(REFERENCE, 'build/x86_64/reference.elf');
const ELF32 = join(REFERENCE, 'build/x86_64/reference-multiboot.elf');
const FIXTURES = fileURLToPath(new URL('../fixtures/symbols/', import.meta.url));

beforeAll(() => {
  if (!existsSync(ELF64) || !existsSync(ELF32)) execFileSync('make', ['-C', REFERENCE], { stdio: 'inherit' });
});

function one(table: SymbolTable, spec: string): ResolvedSymbol {
  const result = table.resolve(spec);
  if (result instanceof SymbolError) throw result;
  expect(result).toHaveLength(1);
  return result[0]!;
}

async function rejection(path: string): Promise<SymbolError> {
  const error: unknown = await loadSymbols(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SymbolError);
  return error as SymbolError;
}

describe.each([
  ['reference.elf (ELF64)', ELF64],
  ['reference-multiboot.elf (ELF32)', ELF32],
])('the reference guest, %s', (_, path) => {
  test('its hook functions resolve and may take faults', async () => {
    const table = await loadSymbols(path);
    for (const name of ['guest_check_value', 'guest_loop_target']) {
      const found = one(table, name);
      expect(found.symbol?.kind).toBe('function');
      expect(table.requireFunction(found)).toBeUndefined();
    }
  });

  test('its loop counter is data, refused as a fault target', async () => {
    const table = await loadSymbols(path);
    const counter = one(table, 'guest_loop_counter');
    expect(counter.symbol?.kind).toBe('object');
    expect(table.requireFunction(counter)?.message).toContain('`guest_loop_counter` is data (object), not a function');
  });

  test('an address inside a hook symbolizes to it; one far away is outside the image', async () => {
    const table = await loadSymbols(path);
    const check = one(table, 'guest_check_value');
    expect(one(table, `0x${(check.address + 4n).toString(16)}`).name).toBe('guest_check_value+0x4');
    const outside = table.resolve('0xdead0000');
    expect(outside).toBeInstanceOf(SymbolError);
    expect((outside as SymbolError).message).toContain(`outside the image described by ${path}`);
  });

  test('a typo names the path and the intended symbol', async () => {
    const error = (await loadSymbols(path)).resolve('guest_chek_value') as SymbolError;
    expect(error.message).toBe(`no symbol named \`guest_chek_value\` in ${path}; did you mean guest_check_value?`);
  });
});

describe('System.map files', () => {
  test('a map loads by content, whatever its name', async () => {
    const table = await loadSymbols(join(FIXTURES, 'System.map'));
    expect(one(table, '_stext').address).toBe(0xffffffff81000000n);
    // No ranges in a map: any address is accepted and named by the nearest symbol.
    expect(one(table, '0xffffffff81000084').name).toBe('entry_SYSCALL_64+0x4');
  });

  test("Debian's placeholder is refused with the path", async () => {
    const path = join(FIXTURES, 'debian-stub.System.map');
    const error = await rejection(path);
    expect(error.code).toBe('system-map-stub');
    expect(error.message).toMatch(new RegExp(`^symbol file ${path}: this is Debian's placeholder`));
  });
});

describe('unusable files name the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-symbols-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing file', async () => {
    const path = join(dir, 'missing.elf');
    const error = await rejection(path);
    expect(error.code).toBe('unreadable');
    expect(error.message).toBe(`cannot read symbol file ${path} (ENOENT): check guest.symbols`);
  });

  test('a binary that is not ELF goes to the ELF parser and says what it starts with', async () => {
    const path = join(dir, 'bzImage');
    writeFileSync(path, new Uint8Array([0x4d, 0x5a, 0xea, 0x07, 0x00, 0xc0, 0x07, 0x8c, 0xc8, 0x8e, 0xd8]));
    const error = await rejection(path);
    expect(error.code).toBe('not-elf');
    expect(error.message).toMatch(new RegExp(`^symbol file ${path}: not an ELF file \\(starts with 4d 5a ea 07`));
  });

  test('text that is not a map', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'remember to rebuild\n');
    const error = await rejection(path);
    expect(error.code).toBe('no-symbols');
    expect(error.message).toContain(path);
  });
});
