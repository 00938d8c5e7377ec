import { describe, expect, test } from 'vitest';
import { SymbolError, SymbolTable, type GuestSymbol, type LoadRange, type ResolvedSymbol } from '../../src/symbols/symbol-table.js';
import { GUEST_RANGES, sym } from './support/guest-symbols.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSystemMap } from '../../src/symbols/system-map.js';

const SYMBOLS = [
  sym('_start', 0x100000, 0, 'other'),
  sym('guest_check_value', 0x101140, 0x10),
  sym('guest_loop_target', 0x101150, 0x20),
  sym('helper', 0x101200, 0x30, 'function', 'local'),
  sym('helper', 0x101300, 0x30, 'function', 'local'),
  sym('uk_alloc_init', 0x101400, 0x40),
  sym('uk_alloc_free', 0x101440, 0x40),
  sym('uk_alloc_weak', 0x101480, 0x40, 'function', 'weak'),
  sym('guest_loop_counter', 0x1107e0, 8, 'object'),
  sym('big_table', 0x108000, 0x8000, 'object'),
  sym('_end', 0x1107f0, 0, 'other'),
];
const RANGES = GUEST_RANGES;
const table = new SymbolTable(SYMBOLS, { ranges: RANGES, source: 'build/guest.elf' });

function resolved(spec: string, t = table): ResolvedSymbol[] {
  const result = t.resolve(spec);
  if (result instanceof SymbolError) throw result;
  return result;
}

function failure(spec: string, t = table): SymbolError {
  const result = t.resolve(spec);
  if (!(result instanceof SymbolError)) throw new Error(`${spec} resolved to ${JSON.stringify(result, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
  return result;
}

describe('resolve by exact name', () => {
  test('a unique name gives its address and symbol', () => {
    expect(resolved('guest_check_value')).toEqual([{ name: 'guest_check_value', address: 0x101140n, symbol: SYMBOLS[1] }]);
  });

  test('a duplicated local name gives every copy, by address', () => {
    expect(resolved('helper').map((r) => r.address)).toEqual([0x101200n, 0x101300n]);
  });

  test('a typo lists the closest names first', () => {
    const error = failure('guest_chek_value');
    expect(error.code).toBe('unknown-symbol');
    expect(error.suggestions[0]).toBe('guest_check_value');
    expect(error.message).toBe('no symbol named `guest_chek_value` in build/guest.elf; did you mean guest_check_value?');
  });

  test('a fragment suggests the names starting with it, then containing it', () => {
    expect(failure('uk_alloc').suggestions).toEqual(['uk_alloc_free', 'uk_alloc_init', 'uk_alloc_weak']);
    expect(failure('loop').suggestions).toEqual(['guest_loop_target', 'guest_loop_counter']);
  });

  test('case differences count as the closest match', () => {
    expect(failure('GUEST_CHECK_VALUE').suggestions[0]).toBe('guest_check_value');
  });

  test('at most five suggestions', () => {
    const many = new SymbolTable(Array.from({ length: 20 }, (_, i) => sym(`irq_handler_${i}`, 0x1000 + i * 16, 16)));
    expect(failure('irq_handler', many).suggestions).toHaveLength(5);
  });

  test('nothing similar says so and points at the symbol file', () => {
    const error = failure('zzzzqqqq');
    expect(error.suggestions).toEqual([]);
    expect(error.message).toContain(`nothing similar among its ${SYMBOLS.length} symbols`);
    expect(error.message).toContain('unstripped image');
  });
});

describe('resolve by glob', () => {
  test('a glob returns every match, sorted by name', () => {
    expect(resolved('uk_alloc_*').map((r) => r.name)).toEqual(['uk_alloc_free', 'uk_alloc_init', 'uk_alloc_weak']);
  });

  test('braces, classes and duplicates', () => {
    expect(resolved('guest_{check,loop}_*').map((r) => r.name)).toEqual(['guest_check_value', 'guest_loop_counter', 'guest_loop_target']);
    expect(resolved('uk_alloc_[fi]*').map((r) => r.name)).toEqual(['uk_alloc_free', 'uk_alloc_init']);
    expect(resolved('help?r').map((r) => r.address)).toEqual([0x101200n, 0x101300n]);
  });

  test('leading-dot names are ordinary names', () => {
    const t = new SymbolTable([sym('.Lentry', 0x1000, 0, 'other')]);
    expect(resolved('*entry', t).map((r) => r.name)).toEqual(['.Lentry']);
  });

  test('a glob matching nothing suggests by its literal prefix', () => {
    const error = failure('uk_aloc_*');
    expect(error.code).toBe('glob-no-match');
    expect(error.suggestions).toEqual(['uk_alloc_free', 'uk_alloc_init', 'uk_alloc_weak']);
    expect(error.message).toMatch(/^glob `uk_aloc_\*` matches no symbol in build\/guest.elf; symbols starting like it: uk_alloc_free/);
  });

  test('a glob starting with a wildcard suggests by its longest literal run', () => {
    expect(failure('*aloc_free*').suggestions).toEqual([]);
    expect(failure('*check_valu').suggestions).toEqual(['guest_check_value']);
  });

  test('a glob over 150,000 names finds exactly its matches', () => {
    const names = Array.from({ length: 150_000 }, (_, i) => sym(`sym_${i}`, 0x1000 + i * 16, 16));
    const big = new SymbolTable(names);
    expect(resolved('sym_1234?', big)).toHaveLength(10);
    expect(big.size).toBe(150_000);
  });
});

describe('resolve by address', () => {
  test('an address inside a function is named by it', () => {
    expect(resolved('0x101144')).toEqual([{ name: 'guest_check_value+0x4', address: 0x101144n, symbol: SYMBOLS[1] }]);
    expect(resolved('0x101140')[0]!.name).toBe('guest_check_value');
  });

  test('an address outside every loadable range is an error naming the ranges', () => {
    const error = failure('0x200000');
    expect(error.code).toBe('address-outside-image');
    expect(error.message).toContain('address 0x200000 is outside the image described by build/guest.elf');
    expect(error.message).toContain('0x100000-0x103204 (code), 0x104000-0x1107f0 (data)');
  });

  test('a range end is exclusive', () => {
    expect(failure('0x103204').code).toBe('address-outside-image');
    expect(resolved('0x103203')).toHaveLength(1);
  });

  test('without known ranges any address is accepted', () => {
    const noRanges = new SymbolTable(SYMBOLS);
    expect(resolved('0x200000', noRanges)).toEqual([{ name: '0x200000', address: 0x200000n, symbol: undefined }]);
  });
});

describe('requireFunction', () => {
  test('a function passes', () => {
    expect(table.requireFunction(resolved('guest_check_value')[0]!)).toBeUndefined();
  });

  test('data is refused with a pointer to watch expectations', () => {
    const error = table.requireFunction(resolved('guest_loop_counter')[0]!);
    expect(error?.code).toBe('not-a-function');
    expect(error?.message).toMatch(/^`guest_loop_counter` is data \(object\), not a function: a fault or breakpoint on it .*use a watch expectation$/);
  });

  test('an untyped label in a data segment is refused, one in code passes', () => {
    expect(table.requireFunction(resolved('_start')[0]!)).toBeUndefined();
    const inData = new SymbolTable([sym('data_label', 0x104100, 0, 'other')], { ranges: RANGES });
    expect(inData.requireFunction(resolved('data_label', inData)[0]!)?.message).toContain('non-executable segment 0x104000-0x1107f0 (data)');
  });

  test('an address inside data is refused', () => {
    expect(table.requireFunction(resolved('0x108010')[0]!)?.message).toMatch(/^`big_table\+0x10` is data/);
  });
});

describe('symbolize', () => {
  test.each([
    ['0x101140', 'guest_check_value'],
    ['0x10114f', 'guest_check_value+0xf'],
    ['0x101150', 'guest_loop_target'],
    ['0x10117f', 'guest_loop_target+0x2f'], // padding after a sized function: nearest preceding function
    ['0x100010', '_start+0x10'], // an unsized assembly label
    ['0x10fff8', 'big_table+0x7ff8'], // inside a large object
    ['0x1107e4', 'guest_loop_counter+0x4'],
    ['0x1107f0', '_end'],
    ['0x0fffff', '0xfffff'], // before every symbol
  ])('%s -> %s', (address, expected) => {
    expect(table.symbolize(BigInt(address))).toBe(expected);
  });

  test('beyond 64 KiB from any function or label gives hex', () => {
    const far = new SymbolTable([sym('only', 0x1000, 0x10)]);
    expect(far.symbolize(0x1000n + 0x10000n)).toBe('0x11000');
    expect(far.symbolize(0x1000n + 0xffffn)).toBe('only+0xffff');
  });

  test('a large symbol still contains addresses past many smaller ones', () => {
    const nested = new SymbolTable([sym('outer', 0x1000, 0x100000, 'object'), ...Array.from({ length: 100 }, (_, i) => sym(`inner_${i}`, 0x2000 + i * 0x100, 0x10, 'object'))]);
    expect(nested.symbolize(0x80000n)).toBe('outer+0x7f000');
  });

  test('at one address a global function names it over labels and locals', () => {
    const aliases = new SymbolTable([sym('_text', 0x1000, 0, 'other'), sym('local_alias', 0x1000, 0x10, 'function', 'local'), sym('_stext', 0x1000, 0x10), sym('data_alias', 0x1000, 0x10, 'object')]);
    expect(aliases.symbolize(0x1004n)).toBe('_stext+0x4');
  });

  test('among equally good aliases the first in the file names the address', () => {
    const aliases = new SymbolTable([sym('srso_alias_untrain_ret', 0x1000, 0), sym('_stext', 0x1000, 0), sym('_text', 0x1000, 0)]);
    expect(aliases.symbolize(0x1004n)).toBe('srso_alias_untrain_ret+0x4');
  });
});

describe('globs take every character a linker allows literally (test/fixtures/symbols/linker-names.System.map)', () => {
  const map = parseSystemMap(readFileSync(fileURLToPath(new URL('../fixtures/symbols/linker-names.System.map', import.meta.url)), 'utf8'));
  const mangled = new SymbolTable(map.symbols, { source: 'linker-names.System.map' });
  const names = (spec: string) => resolved(spec, mangled).map((r) => r.name);

  test('Free Pascal: $ is itself (issue 13: MEMORY_$$_TOROGETMEM* matched nothing)', () => {
    expect(names('MEMORY_$$_TOROGETMEM*')).toEqual(['MEMORY_$$_TOROGETMEM$QWORD$$POINTER', 'MEMORY_$$_TOROGETMEMSIZE$$QWORD']);
    expect(names('MEMORY_$$_TORO*$$POINTER')).toEqual(['MEMORY_$$_TOROGETMEM$QWORD$$POINTER']);
    expect(names('P$TORO_$$_*')).toEqual(['P$TORO_$$_MAIN']);
    expect(names('MEMORY_$$_TOROGETMEM$QWORD$$POINTER')).toEqual(['MEMORY_$$_TOROGETMEM$QWORD$$POINTER']);
  });

  test('Rust legacy mangling ($LT$, .., $u7b$) and GCC clones (.cold, .isra.0)', () => {
    expect(names('_ZN4core3ptr*drop_in_place$LT$std..rt..lang_start$LT$*')).toHaveLength(1);
    expect(names('alloc_pages.*')).toEqual(['alloc_pages.cold', 'alloc_pages.isra.0']);
    expect(names('alloc_pages*')).toEqual(['alloc_pages', 'alloc_pages.cold', 'alloc_pages.isra.0']);
  });

  test('versioned names (@, @@), Go names (/, parentheses) and Objective-C names (+, -, [, spaces, :)', () => {
    expect(names('memcpy@*')).toEqual(['memcpy@@GLIBC_2.14', 'memcpy@GLIBC_2.2.5']);
    expect(names('memcpy@GLIBC_2.2.?')).toEqual(['memcpy@GLIBC_2.2.5']);
    expect(names('runtime/*.Load64')).toEqual(['runtime/internal/atomic.Load64']);
    expect(names('*atomic*')).toEqual(['runtime/internal/atomic.Load64']);
    expect(names('+[Toro_*')).toEqual(['+[Toro_new]']);
    // A closed [...] is a set, as in every glob: \[ makes the bracket itself.
    expect(names('-\\[Toro_alloc:*]')).toEqual(['-[Toro_alloc:size:]']);
    expect(failure('-[Toro_alloc:*]', mangled).code).toBe('glob-no-match');
    // An ELF symbol table holds names with spaces too (System.map cannot).
    expect(resolved('+[Toro n*', new SymbolTable([sym('+[Toro new]', 0x1000, 0x10)])).map((r) => r.name)).toEqual(['+[Toro new]']);
    expect(names('cc1plus!*')).toEqual(['cc1plus!frag']);
  });

  test('\\ makes *, ?, [, ], {, }, , and \\ themselves; names holding them resolve whole or by glob', () => {
    expect(names('main.(\\*Server).*')).toEqual(['main.(*Server).Close', 'main.(*Server).Serve']);
    expect(names('main.(\\*Server).Serve')).toEqual(['main.(*Server).Serve']);
    expect(names('main.(*Server).Serve')).toEqual(['main.(*Server).Serve']);
    expect(names('weird\\{brace\\}')).toEqual(['weird{brace}']);
    expect(names('weird{brace}')).toEqual(['weird{brace}']);
    expect(names('a\\,*')).toEqual(['a,b']);
    expect(names('a,b')).toEqual(['a,b']);
    expect(names('back\\slash')).toEqual(['back\\slash']);
    expect(names('back\\\\s*')).toEqual(['back\\slash']);
  });

  test('braces, sets and ranges are still globs', () => {
    expect(names('MEMORY_$$_TORO{GET,FREE}MEM$*')).toEqual(['MEMORY_$$_TOROFREEMEM$POINTER$$LONGINT', 'MEMORY_$$_TOROGETMEM$QWORD$$POINTER']);
    expect(names('alloc_pages.[c-i]*')).toEqual(['alloc_pages.cold', 'alloc_pages.isra.0']);
    expect(names('alloc_pages.[!c]*')).toEqual(['alloc_pages.isra.0']);
    expect(names('{memcpy@@*,a\\,b}')).toEqual(['a,b', 'memcpy@@GLIBC_2.14']);
  });

  test('a glob over such names that matches nothing suggests by its literal prefix, $ and all', () => {
    const error = failure('MEMORY_$$_TOROGETMEMX*', mangled);
    expect(error.code).toBe('glob-no-match');
    expect(error.suggestions).toContain('MEMORY_$$_TOROGETMEM$QWORD$$POINTER');
  });
});
