// Coverage and profiles of a real run (test/fixtures/coverage/: the reference guest's blocks counted by a TCG
// plugin, with its System.map), and line coverage on an image gcc builds here, with blocks laid on its code.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSystemMap } from '../../src/symbols/system-map.js';
import { parseElfSymbols } from '../../src/symbols/elf-symbols.js';
import { readLineTable } from '../../src/symbols/dwarf-lines.js';
import { SymbolTable } from '../../src/symbols/symbol-table.js';
import type { BlockCount } from '../../src/coverage/block-count.js';
import { ExecutionMap } from '../../src/coverage/execution-map.js';
import { functionAt, guestFunctions } from '../../src/coverage/guest-functions.js';
import { coverageTotals, measureCoverage } from '../../src/coverage/guest-coverage.js';
import { OUTSIDE_FUNCTIONS, profileFunctions } from '../../src/coverage/guest-profile.js';
import { buildFolder } from './support/build-folder.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/coverage/', import.meta.url));

function readBlocks(path: string): BlockCount[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((line) => {
    const [vaddr, bytes, instructions, executions] = line.split(' ');
    return { vaddr: BigInt(`0x${vaddr}`), bytes: Number(bytes), instructions: Number(instructions), executions: Number(executions) };
  });
}

describe('the reference guest run as loop=1000 (recorded blocks, System.map)', () => {
  const blocks = readBlocks(`${FIXTURES}reference-loop.blocks`);
  const symbols = new SymbolTable(parseSystemMap(readFileSync(`${FIXTURES}reference.System.map`, 'utf8')).symbols);
  const functions = guestFunctions(symbols);
  const coverage = measureCoverage('reference.System.map', blocks, functions, undefined);
  const byName = new Map(coverage.functions.map((fn) => [fn.name, fn]));

  test('the loop\'s target was entered exactly 1000 times, the actions run once, the others never', () => {
    expect(byName.get('guest_loop_target')).toMatchObject({ ran: true, entries: 1000 });
    expect(byName.get('act_loop')).toMatchObject({ ran: true, entries: 1 });
    expect(byName.get('act_print')).toMatchObject({ ran: true, entries: 1 });
    expect(byName.get('act_crashloop')).toMatchObject({ ran: false, entries: 0 });
    expect(byName.get('act_crashloop')!.source).toBeUndefined();
  });

  test('totals count the functions that ran among all of them; no lines without a line table', () => {
    const totals = coverageTotals(coverage);
    expect(totals.functions).toBe(functions.length);
    expect(totals.functionsRan).toBe(coverage.functions.filter((fn) => fn.ran).length);
    expect(totals.functionsRan).toBeGreaterThan(5);
    expect(totals.functionsRan).toBeLessThan(totals.functions);
    expect(totals).toMatchObject({ linesRan: 0, lines: 0 });
  });

  test('unsized System.map functions end where the next symbol starts', () => {
    const loop = functions.find((fn) => fn.name === 'guest_loop_target')!;
    expect(loop).toEqual({ name: 'guest_loop_target', start: 0x101290n, end: 0x1012a0n });
    expect(functions[functionAt(functions, 0x10129fn)]!.name).toBe('guest_loop_target');
    expect(functionAt(functions, 0x0n)).toBe(-1);
  });

  test('the profile counts every executed instruction once, ranks by them and names each function', () => {
    const all = profileFunctions(blocks, functions, 1000);
    const total = blocks.reduce((sum, b) => sum + b.executions * b.instructions, 0);
    expect(all.total).toBe(total);
    expect(all.top.reduce((sum, e) => sum + e.instructions, 0)).toBe(total);
    const top = profileFunctions(blocks, functions, 3);
    expect(top.top).toHaveLength(3);
    expect(top.top.map((e) => e.instructions)).toEqual([...top.top.map((e) => e.instructions)].sort((a, b) => b - a));
    // The boot's page-table loop in _start runs the most; guest_loop_target is 2 instructions x 1000 calls.
    expect(top.top[0]!.name).toBe('_start');
    expect(all.top.find((e) => e.name === 'guest_loop_target')!.instructions).toBe(2000);
  });

  test('code outside every function (here qboot, the firmware: 0xf0000-0xfffff and its reset vector\'s 64 KiB under 4 GiB) is one entry of its own', () => {
    const firmware = blocks.filter((b) => b.vaddr < 0x100000n || b.vaddr >= 0xffff0000n);
    expect(firmware.length).toBeGreaterThan(10);
    const profile = profileFunctions(blocks, functions, 1000);
    expect(profile.top.find((e) => e.name === OUTSIDE_FUNCTIONS)).toMatchObject({ instructions: firmware.reduce((sum, b) => sum + b.executions * b.instructions, 0) });
  });
});

describe('executions per address', () => {
  test('overlapping blocks add up where they overlap; outside them nothing ran', () => {
    const map = new ExecutionMap([
      { vaddr: 0x1000n, bytes: 8, instructions: 3, executions: 5 },
      { vaddr: 0x1004n, bytes: 8, instructions: 3, executions: 2 },
      { vaddr: 0x2000n, bytes: 4, instructions: 1, executions: 0 },
    ], 0x1000n);
    expect([0, 3, 4, 7, 8, 11, 12].map((offset) => map.at(offset))).toEqual([5, 5, 7, 7, 2, 2, 0]);
    expect(map.maxIn(0, 4)).toBe(5);
    expect(map.maxIn(2, 9)).toBe(7);
    expect(map.maxIn(12, 0x1000)).toBe(0);
    expect(map.at(-1)).toBe(0);
  });

  test('blocks below the base (another image\'s code) are left out', () => {
    const map = new ExecutionMap([{ vaddr: 0x10n, bytes: 4, instructions: 1, executions: 9 }], 0x1000n);
    expect(map.maxIn(-0x1000, 0x1000)).toBe(0);
  });
});

describe('line coverage of an image with DWARF (gcc builds it here)', () => {
  const SOURCE = ['int ran(int x) {', '  return x + 1;', '}', 'int never(int x) {', '  return x * 3;', '}', ''].join('\n');
  const { file, run } = buildFolder('guest-coverage-');
  let elf: string;
  beforeAll(() => {
    writeFileSync(file('x.c'), SOURCE);
    elf = file('x.elf');
    run('gcc', ['-O0', '-g', '-nostdlib', '-static', '-no-pie', '-Wl,-e,ran', '-fcf-protection=none', '-o', elf, file('x.c')]);
  });

  test('a block over one function runs its lines; the other function\'s lines stay at 0', () => {
    const bytes = readFileSync(elf);
    const parsed = parseElfSymbols(bytes);
    const functions = guestFunctions(new SymbolTable(parsed.symbols, { ranges: parsed.ranges ?? [] }));
    const ran = functions.find((fn) => fn.name === 'ran')!;
    const blocks: BlockCount[] = [{ vaddr: ran.start, bytes: Number(ran.end - ran.start), instructions: 6, executions: 4 }];
    const coverage = measureCoverage(elf, blocks, functions, readLineTable(bytes, parsed.ranges));
    const lines = coverage.lines.get(file('x.c'))!;
    expect(Object.fromEntries(lines)).toEqual({ 1: 4, 2: 4, 3: 4, 4: 0, 5: 0, 6: 0 });
    expect(coverage.functions.find((fn) => fn.name === 'ran')).toMatchObject({ ran: true, entries: 4, source: { file: file('x.c'), line: 1 } });
    expect(coverage.functions.find((fn) => fn.name === 'never')).toMatchObject({ ran: false, entries: 0, source: { file: file('x.c'), line: 4 } });
    expect(coverageTotals(coverage)).toEqual({ functionsRan: 1, functions: 2, linesRan: 3, lines: 6 });
  });
});
