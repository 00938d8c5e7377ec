import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { oneScenario } from './support/one-scenario.js';
import type { Expectation, Scenario } from '../../src/scenario/model.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

function scenarios(name: string): Scenario[] {
  const text = readFileSync(`${FIXTURES}${name}`, 'utf8');
  return loadScenarioFile({ displayPath: `scenarios/${name}`, absolutePath: `/project/scenarios/${name}`, text }).map((doc) => {
    if (!doc.ok) throw new Error(`${name}: ${JSON.stringify(doc.issues)}`);
    return doc.scenario;
  });
}

/** One scenario whose lines after `exit: any` are given (the expect/faults lists start at line 4). */
const { ok, issue } = oneScenario('d.yaml', ['name: d', 'guest: { kernel: k.elf }', 'exit: any']);

/** The single breakpoint expectation of `- breakpoint: f` plus the given lines. */
function breakpoint(...lines: string[]): Extract<Expectation, { kind: 'breakpoint' }> {
  const [e] = ok('expect:', '  - breakpoint: f', ...lines.map((l) => `    ${l}`)).expectations;
  if (e?.kind !== 'breakpoint') throw new Error(`not a breakpoint: ${JSON.stringify(e)}`);
  return e;
}

describe('hit counts', () => {
  test.each([
    ['no count: at least once', [], { min: 1 }],
    ['N: exactly N', ['count: 3'], { min: 3, max: 3 }],
    ['0: never', ['count: 0'], { min: 0, max: 0 }],
    ['{min}', ['count: { min: 2 }'], { min: 2 }],
    ['{max}: min 0', ['count: { max: 2 }'], { min: 0, max: 2 }],
    ['{min, max}', ['count: { min: 1, max: 4 }'], { min: 1, max: 4 }],
    ['{min, max} equal', ['count: { min: 2, max: 2 }'], { min: 2, max: 2 }],
  ])('%s', (_, lines, count) => {
    expect(breakpoint(...lines).count).toEqual(count);
  });

  test('min above max is refused at the count, naming both', () => {
    expect(issue('expect:', '  - breakpoint: f', '    count: { min: 3, max: 2 }')).toMatchObject({
      code: 'invalid-value', line: 6, col: 12, path: 'expect[0].count', message: 'min (3) is above max (2).',
    });
  });

  test('an empty count map is refused', () => {
    expect(issue('expect:', '  - watch: v', '    count: {}')).toMatchObject({ code: 'invalid-value', line: 6, col: 12, path: 'expect[0].count', message: 'expected min, max or both.' });
  });

  test('a negative count or an unknown count key is refused', () => {
    expect(issue('expect:', '  - breakpoint: f', '    count: -1')).toMatchObject({ code: 'invalid-value', path: 'expect[0].count' });
    expect(issue('expect:', '  - breakpoint: f', '    count: { mn: 1 }')).toMatchObject({ code: 'unknown-key', path: 'expect[0].count.mn', hint: 'Did you mean "min"?' });
  });

  test('watch takes the same count forms', () => {
    const [e] = ok('expect:', '  - watch: v', '    count: { max: 0 }').expectations;
    expect(e).toMatchObject({ kind: 'watch', count: { min: 0, max: 0 } });
  });
});

describe('register and memory checks', () => {
  test('known registers keep their values as written, as strings', () => {
    expect(breakpoint("registers: { rdi: 0, rax: '0xffffffff81000000', rsi: -5, rip: 4096 }").registers).toEqual([
      { register: 'rdi', equals: '0' },
      { register: 'rax', equals: '0xffffffff81000000' },
      { register: 'rsi', equals: '-5' },
      { register: 'rip', equals: '4096' },
    ]);
  });

  test('an unknown register is unknown-key with a did-you-mean', () => {
    expect(issue('expect:', '  - breakpoint: f', '    registers: { rdz: 1 }')).toMatchObject({
      code: 'unknown-key', line: 6, col: 16, path: 'expect[0].registers.rdz', message: 'unknown register "rdz".', hint: 'Did you mean "rdx"?',
    });
  });

  test('a register name like nothing lists the known ones', () => {
    const found = issue('expect:', '  - breakpoint: f', '    registers: { accumulator: 1 }');
    expect(found).toMatchObject({ code: 'unknown-key', path: 'expect[0].registers.accumulator' });
    expect(found.hint).toMatch(/^Known registers: rax, rbx, .*, efer\.$/);
  });

  test('a register value that is neither a number nor a quoted hex/decimal string is refused', () => {
    expect(issue('expect:', '  - breakpoint: f', "    registers: { rax: 'zz' }")).toMatchObject({
      code: 'invalid-value', path: 'expect[0].registers.rax', message: 'expected a quoted hex "0x..." or decimal value, got "zz".',
    });
  });

  test('memory checks: size defaults to 8, `at` kept as written, an integer `at` as hex', () => {
    expect(breakpoint('memory:', "  - { at: counter, equals: 0 }", "  - { at: '0x1107e0', size: 4, equals: '0xdeadbeef' }", '  - { at: 4096, size: 1, equals: 255 }').memory).toEqual([
      { at: 'counter', size: 8, equals: '0' },
      { at: '0x1107e0', size: 4, equals: '0xdeadbeef' },
      { at: '0x1000', size: 1, equals: '255' },
    ]);
  });

  test.each([1, 2, 4, 8])('memory size %i is accepted', (size) => {
    expect(breakpoint('memory:', `  - { at: x, size: ${size}, equals: 0 }`).memory[0]!.size).toBe(size);
  });

  test.each([3, 5, 6, 7])('memory size %i is invalid-value at the size', (size) => {
    expect(issue('expect:', '  - breakpoint: f', '    memory:', '      - { at: x, equals: 0 }', `      - { at: x, size: ${size}, equals: 0 }`)).toMatchObject({
      code: 'invalid-value', line: 8, col: 24, path: 'expect[0].memory[1].size', message: `expected 1, 2, 4 or 8 bytes, got ${size}.`,
    });
  });

  test('memory size 9 is refused by the schema range', () => {
    expect(issue('expect:', '  - breakpoint: f', '    memory:', '      - { at: x, size: 9, equals: 0 }')).toMatchObject({ code: 'invalid-value', path: 'expect[0].memory[0].size' });
  });

  test('memory checks need at and equals', () => {
    expect(issue('expect:', '  - breakpoint: f', '    memory:', '      - { at: x }')).toMatchObject({ code: 'missing-key', path: 'expect[0].memory[0]', message: 'missing required key "equals".' });
  });
});

describe('big values', () => {
  test('a quoted 64-bit hex stays exact, as target, register and memory value', () => {
    const e = breakpoint("registers: { rax: '0xffffffff81000000' }", 'memory:', "  - { at: '0xffffffff81000008', equals: '0xffffffffffffffff' }");
    expect(e.registers[0]!.equals).toBe('0xffffffff81000000');
    expect(BigInt(e.registers[0]!.equals)).toBe(0xffffffff81000000n);
    expect(e.memory[0]).toEqual({ at: '0xffffffff81000008', size: 8, equals: '0xffffffffffffffff' });
    const [target] = ok('expect:', "  - breakpoint: '0xffffffff81000000'").expectations;
    expect(target).toMatchObject({ target: '0xffffffff81000000' });
  });

  test('a quoted decimal above 2^53 stays exact', () => {
    expect(breakpoint("registers: { rdx: '18446744073709551615' }").registers[0]!.equals).toBe('18446744073709551615');
  });

  test('the largest safe integer is accepted unquoted', () => {
    expect(breakpoint('registers: { rax: 9007199254740991 }').registers[0]!.equals).toBe('9007199254740991');
  });

  test('an unquoted address above 2^53 is refused with a hint to quote it', () => {
    expect(issue('expect:', '  - breakpoint: 0xffffffff81000000')).toMatchObject({
      code: 'invalid-value', line: 5, col: 17, path: 'expect[0].breakpoint', hint: 'Quote it: "0xffffffff81000000".',
    });
    expect(issue('expect:', '  - breakpoint: 0xffffffff81000000').message).toMatch(/^0xffffffff81000000 is beyond 2\^53/);
  });

  test('an unquoted decimal address above 2^53 gets a hex suggestion (a quoted decimal would be read as a name)', () => {
    expect(issue('expect:', '  - watch: 18014398509481985')).toMatchObject({ code: 'invalid-value', path: 'expect[0].watch', hint: 'Quote it: "0x40000000000001".' });
  });

  test('an unquoted register value or fault return above 2^53 is refused the same way', () => {
    expect(issue('expect:', '  - breakpoint: f', '    registers: { rax: 0xffffffff81000000 }')).toMatchObject({ code: 'invalid-value', path: 'expect[0].registers.rax', hint: 'Quote it: "0xffffffff81000000".' });
    expect(issue('faults:', '  - function: f', '    return: -18014398509481985')).toMatchObject({ code: 'invalid-value', path: 'faults[0].return', hint: 'Quote it: "-18014398509481985".' });
  });
});

describe('vcpu', () => {
  test('kept when given, absent otherwise', () => {
    const [one, every] = ok('machine: { cpus: 2 }', 'expect:', '  - breakpoint: f', '    vcpu: 1', '  - breakpoint: f').expectations;
    expect(one).toMatchObject({ kind: 'breakpoint', vcpu: 1 });
    expect(every).not.toHaveProperty('vcpu');
  });

  test('a vCPU the machine does not have is refused at the vcpu, naming the range', () => {
    expect(issue('machine: { cpus: 4 }', 'expect:', '  - breakpoint: f', '    vcpu: 4')).toMatchObject({
      code: 'invalid-value', line: 7, col: 11, path: 'expect[0].vcpu', message: 'vCPU 4 does not exist: the machine has 4 vCPUs (0-3).',
    });
    expect(issue('expect:', '  - breakpoint: f', '    vcpu: 1')).toMatchObject({ path: 'expect[0].vcpu', message: 'vCPU 1 does not exist: the machine has 1 vCPU (0).' });
  });

  test('a negative or fractional vcpu, or one on a watch, is refused by the schema', () => {
    expect(issue('expect:', '  - breakpoint: f', '    vcpu: -1')).toMatchObject({ code: 'invalid-value', path: 'expect[0].vcpu' });
    expect(issue('expect:', '  - breakpoint: f', '    vcpu: 0.5')).toMatchObject({ code: 'invalid-value', path: 'expect[0].vcpu' });
    expect(issue('expect:', '  - watch: v', '    vcpu: 0')).toMatchObject({ code: 'unknown-key', path: 'expect[0].vcpu' });
  });
});

describe('watch', () => {
  test('access defaults to write; size only when given', () => {
    const [plain, sized] = ok('expect:', '  - watch: v', '  - watch: w', '    access: read', '    size: 2').expectations;
    expect(plain).toEqual({ index: 0, after: undefined, location: { file: 'd.yaml', line: 5, col: 5 }, kind: 'watch', target: 'v', access: 'write', count: { min: 1 } });
    expect(sized).toMatchObject({ kind: 'watch', target: 'w', access: 'read', size: 2 });
  });

  test('an unknown access suggests the closest', () => {
    expect(issue('expect:', '  - watch: v', '    access: wirte')).toMatchObject({ code: 'invalid-value', path: 'expect[0].access', hint: 'Did you mean "write"?' });
  });
});

describe('faults', () => {
  test('defaults: mode skip, every call', () => {
    expect(ok('faults:', '  - function: f', '    return: 3').faults).toEqual([
      { index: 0, function: 'f', returns: '3', mode: 'skip', hits: { kind: 'all' }, location: { file: 'd.yaml', line: 5, col: 5 } },
    ]);
  });

  test.each([
    ['all', { kind: 'all' }],
    ['{ nth: 2 }', { kind: 'nth', n: 2 }],
    ['{ first: 3 }', { kind: 'first', n: 3 }],
    ['{ probability: 0.25, seed: 42 }', { kind: 'probability', probability: 0.25, seed: 42 }],
    ['{ probability: 0 }', { kind: 'probability', probability: 0, seed: 0 }],
    ['{ probability: 1 }', { kind: 'probability', probability: 1, seed: 0 }],
  ])('hits: %s', (hits, expected) => {
    expect(ok('faults:', '  - function: f', '    return: 1', `    hits: ${hits}`).faults[0]!.hits).toEqual(expected);
  });

  test.each([
    ['{ probability: 1.5 }', 'faults[0].hits.probability', 'expected a number from 0 to 1, got 1.5.'],
    ['{ probability: -0.1 }', 'faults[0].hits.probability', 'expected a number from 0 to 1, got -0.1.'],
    ['{ nth: 0 }', 'faults[0].hits.nth', 'expected an integer from 1 to 1000000000, got 0.'],
    ['{ first: 0 }', 'faults[0].hits.first', 'expected an integer from 1 to 1000000000, got 0.'],
  ])('hits: %s is invalid-value at the value', (hits, path, message) => {
    expect(issue('faults:', '  - function: f', '    return: 1', `    hits: ${hits}`)).toMatchObject({ code: 'invalid-value', path, message });
  });

  test('hits mixing two forms, or a word other than all, is refused', () => {
    expect(issue('faults:', '  - function: f', '    return: 1', '    hits: { nth: 1, first: 2 }')).toMatchObject({ code: 'wrong-type', path: 'faults[0].hits' });
    expect(issue('faults:', '  - function: f', '    return: 1', '    hits: sometimes')).toMatchObject({ code: 'invalid-value', path: 'faults[0].hits' });
  });

  test('function and return are required; an unknown mode is refused', () => {
    expect(issue('faults:', '  - function: f')).toMatchObject({ code: 'missing-key', path: 'faults[0]', message: 'missing required key "return".' });
    expect(issue('faults:', '  - return: 1')).toMatchObject({ code: 'missing-key', path: 'faults[0]', message: 'missing required key "function".' });
    expect(issue('faults:', '  - function: f', '    return: 1', '    mode: skp')).toMatchObject({ code: 'invalid-value', path: 'faults[0].mode', hint: 'Did you mean "skip"?' });
  });

  test('faults alone do not check anything: an exit or expectations are still needed', () => {
    const text = ['name: d', 'guest: { kernel: k.elf }', 'faults:', '  - { function: f, return: 1 }'].join('\n');
    const [doc] = loadScenarioFile({ displayPath: 'd.yaml', absolutePath: '/p/d.yaml', text });
    expect(doc).toMatchObject({ ok: false, issues: [{ code: 'missing-key', message: 'the scenario checks nothing.' }] });
  });

  test('no faults key: an empty list', () => {
    expect(ok('expect:', '  - breakpoint: f').faults).toEqual([]);
  });
});

describe('the debug fixture', () => {
  test('breakpoints: every count form, checks and positions', () => {
    const [s] = scenarios('valid/debug.yaml');
    const e = s!.expectations as Extract<Expectation, { kind: 'breakpoint' }>[];
    expect(e.map((x) => x.kind)).toEqual(['breakpoint', 'breakpoint', 'breakpoint', 'breakpoint', 'breakpoint', 'breakpoint']);
    expect(e.map((x) => x.target)).toEqual(['guest_loop_target', 'guest_loop_target', 'guest_*', '0x101150', '0xffffffff81000000', 'guest_check_value']);
    expect(e.map((x) => x.count)).toEqual([{ min: 1 }, { min: 3, max: 3 }, { min: 2 }, { min: 0, max: 2 }, { min: 1, max: 4 }, { min: 0, max: 0 }]);
    expect(e.map((x) => x.location.line)).toEqual([6, 7, 9, 11, 13, 15]);
    expect(e[5]!.registers).toEqual([
      { register: 'rdi', equals: '0' }, { register: 'rax', equals: '0xffffffff81000000' },
      { register: 'rsi', equals: '-5' }, { register: 'rdx', equals: '18446744073709551615' },
    ]);
    expect(e[5]!.memory).toEqual([{ at: 'guest_loop_counter', size: 8, equals: '0' }, { at: '0x1107e0', size: 4, equals: '0xdeadbeef' }]);
    expect(e.slice(0, 5).every((x) => x.registers.length === 0 && x.memory.length === 0)).toBe(true);
  });

  test('watches: after resolves to the id, access and size', () => {
    const [, s] = scenarios('valid/debug.yaml');
    expect(s!.expectations).toEqual([
      { index: 0, id: 'started', after: undefined, location: { file: 'scenarios/valid/debug.yaml', line: 26, col: 5 }, kind: 'breakpoint', target: 'guest_loop_target', count: { min: 1 }, registers: [], memory: [] },
      { index: 1, after: 0, location: { file: 'scenarios/valid/debug.yaml', line: 28, col: 5 }, kind: 'watch', target: 'guest_loop_counter', access: 'write', count: { min: 1 } },
      { index: 2, after: undefined, location: { file: 'scenarios/valid/debug.yaml', line: 30, col: 5 }, kind: 'watch', target: 'big_table', access: 'read', size: 2, count: { min: 4, max: 4 } },
    ]);
  });

  test('faults: defaults, every hits form, and where each one starts (block and flow items)', () => {
    const [, , s] = scenarios('valid/debug.yaml');
    const at = (line: number, col: number) => ({ file: 'scenarios/valid/debug.yaml', line, col });
    expect(s!.faults).toEqual([
      { index: 0, function: 'guest_check_value', returns: '3', mode: 'skip', hits: { kind: 'all' }, location: at(39, 5) },
      { index: 1, function: 'guest_check_value', returns: '0xfffffffffffffff4', mode: 'override', hits: { kind: 'all' }, location: at(41, 5) },
      { index: 2, function: 'uk_alloc_init', returns: '-12', mode: 'skip', hits: { kind: 'nth', n: 2 }, location: at(45, 5) },
      { index: 3, function: 'uk_alloc_free', returns: '0', mode: 'skip', hits: { kind: 'first', n: 3 }, location: at(48, 5) },
      { index: 4, function: 'uk_*', returns: '1', mode: 'skip', hits: { kind: 'probability', probability: 0.25, seed: 42 }, location: at(49, 5) },
      { index: 5, function: 'helper', returns: '0', mode: 'skip', hits: { kind: 'probability', probability: 1, seed: 0 }, location: at(52, 5) },
    ]);
    expect(s!.expectations).toEqual([]);
  });
});
