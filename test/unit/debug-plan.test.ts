import { describe, expect, test } from 'vitest';
import { buildDebugPlan, PlanError, type DebugPlan } from '../../src/debugger/debug-plan.js';
import { needsDebugger } from '../../src/debugger/needs-debugger.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { SymbolError, SymbolTable, type GuestSymbol, type LoadRange } from '../../src/symbols/symbol-table.js';
import { GUEST_RANGES, sym } from './support/guest-symbols.js';

const SYMBOLS = [
  sym('_start', 0x100000, 0, 'other'),
  sym('guest_check_value', 0x101140, 0x10),
  sym('guest_loop_target', 0x101150, 0x20),
  sym('helper', 0x101200, 0x30, 'function', 'local'),
  sym('helper', 0x101300, 0x30, 'function', 'local'),
  sym('uk_alloc_init', 0x101400, 0x40),
  sym('guest_loop_counter', 0x1107e0, 8, 'object'),
  sym('guest_flag', 0x1107e8, 4, 'object'),
  sym('big_table', 0x108000, 0x8000, 'object'),
  sym('data_label', 0x104000, 0, 'other'),
];
const RANGES = GUEST_RANGES;
const TABLE = new SymbolTable(SYMBOLS, { ranges: RANGES, source: 'build/guest.elf' });

/** A scenario whose lines after `exit: any` are given: `expect:` or `faults:` starts at line 4. */
function scenario(...body: string[]): Scenario {
  const text = ['name: p', 'guest: { kernel: k.elf }', 'exit: any', ...body].join('\n');
  const [doc] = loadScenarioFile({ displayPath: 'p.yaml', absolutePath: '/s/p.yaml', text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

function plan(...body: string[]): DebugPlan {
  return buildDebugPlan(scenario(...body), TABLE);
}

function planError(body: string[], table = TABLE): PlanError {
  try {
    buildDebugPlan(scenario(...body), table);
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error(`planned without error: ${body.join(' | ')}`);
}

/** Code points as plain `{address: where}` facts, for short assertions. */
const points = (p: DebugPlan) => [...p.code.values()].map((c) => ({ address: c.address, where: c.where, expectations: c.expectations.map((x) => x.expectation.index), faults: c.faults.map((f) => f.index) }));

describe('needsDebugger', () => {
  test('only breakpoints, watches and faults need the GDB stub', () => {
    expect(needsDebugger(scenario('expect:', '  - console: hi', '  - code: 0x40', '  - never: panic'))).toBe(false);
    expect(needsDebugger(scenario('expect:', '  - console: hi', '  - breakpoint: f'))).toBe(true);
    expect(needsDebugger(scenario('expect:', '  - watch: v'))).toBe(true);
    expect(needsDebugger(scenario('faults:', '  - { function: f, return: 1 }'))).toBe(true);
  });
});

describe('breakpoints', () => {
  test('two expectations at one address share one code point, with a fault there too', () => {
    const p = plan('expect:', '  - breakpoint: guest_loop_target', "  - breakpoint: '0x101150'", '    count: 2', 'faults:', '  - { function: guest_loop_target, return: 0 }');
    expect(points(p)).toEqual([{ address: 0x101150n, where: 'guest_loop_target', expectations: [0, 1], faults: [0] }]);
    expect(p.code.get(0x101150n)!.expectations[1]!.expectation.count).toEqual({ min: 2, max: 2 });
    expect(p.watches).toEqual([]);
  });

  test('an address inside a function is shown as name+offset', () => {
    expect(points(plan('expect:', "  - breakpoint: '0x101144'"))).toEqual([{ address: 0x101144n, where: 'guest_check_value+0x4', expectations: [0], faults: [] }]);
  });

  test('an integer address in YAML resolves like the hex string', () => {
    expect(points(plan('expect:', '  - breakpoint: 1053008'))).toEqual([{ address: 0x101150n, where: 'guest_loop_target', expectations: [0], faults: [] }]);
  });

  test('a duplicated local name arms every copy', () => {
    expect(points(plan('expect:', '  - breakpoint: helper')).map((c) => c.address)).toEqual([0x101200n, 0x101300n]);
  });

  test('a glob keeps the functions it matches and drops the data', () => {
    const p = plan('expect:', "  - breakpoint: 'guest_*'", '    count: 4');
    expect(points(p).map((c) => c.where).sort()).toEqual(['guest_check_value', 'guest_loop_target']);
    expect([...p.code.keys()]).not.toContain(0x1107e0n);
  });

  test('a glob matching only data fails, as not-a-function', () => {
    const error = planError(['expect:', "  - breakpoint: 'big_*'"]);
    expect(error.message).toMatch(/^p\.yaml:5:5: expect\[0\]\.breakpoint: `big_table` is data \(object\), not a function/);
    expect((error.cause as SymbolError).code).toBe('not-a-function');
  });

  test('a glob matching nothing fails with glob-no-match', () => {
    const error = planError(['expect:', '  - console: x', "  - breakpoint: 'uk_sched_*'"]);
    expect(error.message).toMatch(/^p\.yaml:6:5: expect\[1\]\.breakpoint: glob `uk_sched_\*` matches no symbol in build\/guest\.elf/);
    expect((error.cause as SymbolError).code).toBe('glob-no-match');
  });

  test('an exact data symbol is refused with the position and config path', () => {
    const error = planError(['expect:', '  - breakpoint: guest_loop_counter']);
    expect(error).toBeInstanceOf(PlanError);
    expect(error.name).toBe('PlanError');
    expect(error.location).toEqual({ file: 'p.yaml', line: 5, col: 5 });
    expect(error.path).toBe('expect[0].breakpoint');
    expect(error.message).toMatch(/^p\.yaml:5:5: expect\[0\]\.breakpoint: `guest_loop_counter` is data \(object\).*use a watch expectation$/);
  });

  test('an unsized label in a data segment is refused as not code', () => {
    const error = planError(['expect:', '  - breakpoint: data_label']);
    expect(error.message).toMatch(/^p\.yaml:5:5: expect\[0\]\.breakpoint: `data_label` \(0x104000\) is in a non-executable segment 0x104000-0x1107f0 \(data\)/);
  });

  test('an unknown symbol lists the closest names', () => {
    const error = planError(['expect:', '  - breakpoint: guest_loop_targte']);
    expect(error.message).toBe('p.yaml:5:5: expect[0].breakpoint: no symbol named `guest_loop_targte` in build/guest.elf; did you mean guest_loop_target, guest_loop_counter?');
    expect((error.cause as SymbolError).suggestions).toEqual(['guest_loop_target', 'guest_loop_counter']);
  });

  test('an address literal outside the load ranges is refused', () => {
    const error = planError(['expect:', "  - breakpoint: '0xffffffff81000000'"]);
    expect(error.message).toMatch(/^p\.yaml:5:5: expect\[0\]\.breakpoint: address 0xffffffff81000000 is outside the image described by build\/guest\.elf/);
    expect((error.cause as SymbolError).code).toBe('address-outside-image');
  });

  test('without load ranges (System.map) any address is accepted', () => {
    const p = buildDebugPlan(scenario('expect:', "  - breakpoint: '0xffffffff81000000'"), new SymbolTable(SYMBOLS));
    expect([...p.code.keys()]).toEqual([0xffffffff81000000n]);
  });
});

describe('memory checks', () => {
  test('`at` is resolved to an address; the value to a bigint', () => {
    const p = plan('expect:', '  - breakpoint: guest_loop_target', '    memory:',
      '      - { at: guest_loop_counter, equals: 0 }', "      - { at: '0x1107e8', size: 4, equals: '0xffffffff' }");
    expect(p.code.get(0x101150n)!.expectations[0]!.memory).toEqual([
      { address: 0x1107e0n, size: 8, equals: 0n, at: 'guest_loop_counter' },
      { address: 0x1107e8n, size: 4, equals: 0xffffffffn, at: '0x1107e8' },
    ]);
  });

  test('a glob breakpoint shares one resolved memory list across its code points', () => {
    const p = plan('expect:', "  - breakpoint: 'guest_*'", '    memory:', '      - { at: guest_flag, size: 4, equals: -1 }');
    const lists = [...p.code.values()].map((c) => c.expectations[0]!.memory);
    expect(lists).toHaveLength(2);
    expect(lists[0]).toEqual([{ address: 0x1107e8n, size: 4, equals: -1n, at: 'guest_flag' }]);
    expect(lists[1]).toEqual(lists[0]);
  });

  test('an unknown `at` names the memory path', () => {
    const error = planError(['expect:', '  - breakpoint: guest_loop_target', '    memory:', '      - { at: guest_loop_countr, equals: 0 }']);
    expect(error.message).toMatch(/^p\.yaml:5:5: expect\[0\]\.memory\[0\]\.at: no symbol named `guest_loop_countr`.*did you mean guest_loop_counter/);
  });
});

describe('watches', () => {
  test.each([
    ['an 8-byte variable: its size', 'guest_loop_counter', [], 0x1107e0n, 8],
    ['a 4-byte variable: its size', 'guest_flag', [], 0x1107e8n, 4],
    ['a big table: at most 8', 'big_table', [], 0x108000n, 8],
    ['an unsized label: 8', 'data_label', [], 0x104000n, 8],
    ['an explicit size wins', 'big_table', ['    size: 2'], 0x108000n, 2],
    ['an explicit size wins over a smaller symbol', 'guest_flag', ['    size: 8'], 0x1107e8n, 8],
  ])('%s', (_, target, lines, address, size) => {
    const p = plan('expect:', `  - watch: ${target}`, ...lines);
    expect(p.watches).toHaveLength(1);
    expect(p.watches[0]).toMatchObject({ address, size, where: target });
    expect(p.watches[0]!.expectation.index).toBe(0);
    expect(p.code.size).toBe(0);
  });

  test('an address literal no symbol covers watches 8 bytes and is shown as hex', () => {
    const table = new SymbolTable([sym('far', 0x200000, 4, 'object')]);
    const p = buildDebugPlan(scenario('expect:', "  - watch: '0x500000'"), table);
    expect(p.watches).toMatchObject([{ address: 0x500000n, size: 8, where: '0x500000' }]);
  });

  test('an address inside a variable is name+offset, sized by the variable', () => {
    expect(plan('expect:', "  - watch: '0x1107e2'").watches).toMatchObject([{ address: 0x1107e2n, size: 8, where: 'guest_loop_counter+0x2' }]);
  });

  test('an unknown watch target names the watch path', () => {
    const error = planError(['expect:', '  - console: x', '  - watch: guest_flg']);
    expect(error.message).toMatch(/^p\.yaml:6:5: expect\[1\]\.watch: no symbol named `guest_flg`.*did you mean guest_flag/);
  });

  test('an address outside the image is refused for a watch too', () => {
    expect(planError(['expect:', "  - watch: '0x900000'"]).message).toMatch(/^p\.yaml:5:5: expect\[0\]\.watch: address 0x900000 is outside the image/);
  });
});

describe('faults', () => {
  test('faults on functions become code points; one function may carry several faults', () => {
    const p = plan('faults:', '  - { function: guest_check_value, return: 3 }', '  - { function: guest_check_value, return: -1, hits: { nth: 2 } }', "  - { function: 'uk_*', return: 0 }");
    expect(points(p)).toEqual([
      { address: 0x101140n, where: 'guest_check_value', expectations: [], faults: [0, 1] },
      { address: 0x101400n, where: 'uk_alloc_init', expectations: [], faults: [2] },
    ]);
  });

  test('a fault on a data symbol is refused at faults[N].function', () => {
    const error = planError(['faults:', '  - { function: guest_check_value, return: 3 }', '  - function: guest_loop_counter', '    return: 1']);
    expect(error.location).toEqual({ file: 'p.yaml', line: 6, col: 5 });
    expect(error.message).toMatch(/^p\.yaml:6:5: faults\[1\]\.function: `guest_loop_counter` is data \(object\)/);
  });

  test('a misspelt fault function lists suggestions', () => {
    const error = planError(['faults:', '  - function: guest_chek_value', '    return: -1']);
    expect(error.message).toBe('p.yaml:5:5: faults[0].function: no symbol named `guest_chek_value` in build/guest.elf; did you mean guest_check_value?');
  });

  test('an exact name shared by a function and a data symbol is refused, not half-armed', () => {
    const table = new SymbolTable([sym('state', 0x101000, 0x10), sym('state', 0x104010, 8, 'object', 'local')], { ranges: RANGES });
    const error = planError(['faults:', '  - { function: state, return: 0 }'], table);
    expect((error.cause as SymbolError).code).toBe('not-a-function');
  });
});

describe('where emulated step-offs may write', () => {
  test('the image\'s writable segments; none when its layout is unknown (a System.map)', () => {
    const plan = buildDebugPlan(scenario('expect:', '  - breakpoint: guest_loop_target'), TABLE);
    expect(plan.writable).toEqual([GUEST_RANGES[1]]);
    const mapOnly = new SymbolTable(SYMBOLS, { source: 'System.map' });
    expect(buildDebugPlan(scenario('expect:', '  - breakpoint: guest_loop_target'), mapOnly).writable).toEqual([]);
  });
});
