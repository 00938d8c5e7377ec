import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSystemMap } from '../../src/symbols/system-map.js';
import { SymbolError, type GuestSymbol } from '../../src/symbols/symbol-table.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/symbols/', import.meta.url));
const MAP = readFileSync(`${FIXTURES}System.map`, 'utf8');

function errorFor(text: string): SymbolError {
  try {
    parseSystemMap(text);
  } catch (error) {
    if (error instanceof SymbolError) return error;
    throw error;
  }
  throw new Error('parsed without error');
}

function only(symbols: GuestSymbol[], name: string): GuestSymbol {
  const found = symbols.filter((s) => s.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('a real-format System.map', () => {
  const parsed = parseSystemMap(MAP);

  test('every line is a symbol, none malformed, no sizes or ranges', () => {
    expect(parsed.symbols).toHaveLength(MAP.trimEnd().split('\n').length);
    expect(parsed.malformedLines).toBe(0);
    expect(parsed.firstMalformed).toBeUndefined();
    expect(parsed.ranges).toBeUndefined();
    expect(parsed.symbols.every((s) => s.size === 0n)).toBe(true);
  });

  test('addresses are full 64-bit values', () => {
    expect(only(parsed.symbols, '_stext').address).toBe(0xffffffff81000000n);
    expect(only(parsed.symbols, '__per_cpu_start').address).toBe(0n);
    expect(only(parsed.symbols, '_end').address).toBe(0xffffffff84400000n);
  });

  test.each([
    ['_stext', 'function', 'global'], // T
    ['__cpuid', 'function', 'local'], // t
    ['abort', 'other', 'weak'], // W: function or untyped, nm cannot say
    ['init_task', 'object', 'global'], // D
    ['init_signals', 'object', 'local'], // d
    ['linux_banner', 'object', 'global'], // R
    ['cpu_root_microcode_group', 'object', 'local'], // r
    ['idt_table', 'object', 'global'], // B
    ['dummy_mapping', 'object', 'local'], // b
    ['__gp_dummy', 'object', 'global'], // G
    ['__small_bss', 'object', 'global'], // S
    ['__small_local', 'object', 'local'], // s
    ['rcu_weak_data', 'object', 'weak'], // V
    ['rcu_weak_local', 'object', 'weak'], // v
    ['phys_startup_64', 'other', 'global'], // A
  ])('%s is %s, %s', (name, kind, binding) => {
    expect(only(parsed.symbols, name)).toMatchObject({ kind, binding });
  });

  test('names repeated across files are all kept', () => {
    expect(parsed.symbols.filter((s) => s.name === 'kzalloc_noprof.constprop.0')).toHaveLength(2);
  });
});

describe('line handling', () => {
  test('malformed lines are skipped and counted, the first remembered', () => {
    const parsed = parseSystemMap('ffffffff81000000 T _stext\nnot a symbol\n\nffffffff81000010 Q odd_type\nffffffff81000020 t helper\n');
    expect(parsed.symbols.map((s) => s.name)).toEqual(['_stext', 'helper']);
    expect(parsed.malformedLines).toBe(2);
    expect(parsed.firstMalformed).toEqual({ line: 2, text: 'not a symbol' });
  });

  test('CRLF endings, tabs and 32-bit addresses', () => {
    const parsed = parseSystemMap('c1000000 T _stext\r\nc1000010\tt\tstartup_32_smp\r\n');
    expect(parsed.symbols.map((s) => [s.name, s.address])).toEqual([['_stext', 0xc1000000n], ['startup_32_smp', 0xc1000010n]]);
    expect(parsed.malformedLines).toBe(0);
  });

  test('undefined symbols are not definitions and not malformed', () => {
    const parsed = parseSystemMap('ffffffff81000000 T _stext\n0000000000000000 U missing\n');
    expect(parsed.symbols.map((s) => s.name)).toEqual(['_stext']);
    expect(parsed.malformedLines).toBe(0);
  });
});

describe('unusable maps', () => {
  test("Debian's 83-byte placeholder points at the -dbg package", () => {
    const stub = readFileSync(`${FIXTURES}debian-stub.System.map`, 'utf8');
    expect(stub).toHaveLength(83);
    const error = errorFor(stub);
    expect(error.code).toBe('system-map-stub');
    expect(error.message).toContain("Debian's placeholder System.map");
    expect(error.message).toContain('install linux-image-<version>-dbg');
    expect(error.message).toContain('/usr/lib/debug/boot/');
  });

  test('text with no symbol line quotes its first line', () => {
    const error = errorFor('# not a map\nhello\n');
    expect(error.code).toBe('no-symbols');
    expect(error.message).toContain('line 1 is `# not a map`');
  });

  test('an empty file', () => {
    expect(errorFor('\n').message).toContain('(it is empty)');
  });
});
