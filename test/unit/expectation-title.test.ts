import { describe, expect, test } from 'vitest';
import { countText, expectationTitle, exitTitle } from '../../src/match/expectation-title.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { HitCount, Scenario } from '../../src/scenario/model.js';

/** A scenario whose lines after `guest:` are given, loaded through the real loader. */
function scenario(...body: string[]): Scenario {
  const text = ['name: t', 'guest: { kernel: k.elf }', ...body].join('\n');
  const [doc] = loadScenarioFile({ displayPath: 't.yaml', absolutePath: '/p/t.yaml', text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

const titles = (...expectLines: string[]): string[] => scenario('exit: any', 'expect:', ...expectLines).expectations.map(expectationTitle);

describe('countText', () => {
  test.each<[HitCount, string]>([
    [{ min: 1 }, 'hit at least once'],
    [{ min: 2 }, 'hit at least 2 times'],
    [{ min: 0 }, 'hit at least 0 times'],
    [{ min: 1, max: 1 }, 'hit once'],
    [{ min: 3, max: 3 }, 'hit 3 times'],
    [{ min: 0, max: 0 }, 'never hit'],
    [{ min: 0, max: 1 }, 'hit at most once'],
    [{ min: 0, max: 2 }, 'hit at most 2 times'],
    [{ min: 2, max: 5 }, 'hit 2 to 5 times'],
    [{ min: 1, max: 2 }, 'hit 1 to 2 times'],
  ])('%j -> %s', (count, text) => {
    expect(countText(count)).toBe(text);
  });
});

describe('breakpoint and watch titles', () => {
  test('breakpoints name the target and the count', () => {
    expect(titles(
      '  - breakpoint: guest_loop_target',
      '    count: 3',
      '  - breakpoint: guest_check_value',
      "  - breakpoint: 'uk_alloc_*'",
      '    count: 0',
      "  - breakpoint: '0xffffffff81000000'",
      '    count: { max: 2 }',
      '  - breakpoint: 4096',
      '    count: { min: 2, max: 5 }',
      '  - breakpoint: guest_loop_target',
      '    count: 5',
      '    vcpu: 0',
    )).toEqual([
      'breakpoint guest_loop_target hit 3 times',
      'breakpoint guest_check_value hit at least once',
      'breakpoint uk_alloc_* never hit',
      'breakpoint 0xffffffff81000000 hit at most 2 times',
      'breakpoint 0x1000 hit 2 to 5 times',
      'breakpoint guest_loop_target hit 5 times on vCPU 0',
    ]);
  });

  test('watches name the access (default write), the target and the count', () => {
    expect(titles(
      '  - watch: guest_loop_counter',
      '  - watch: guest_loop_counter',
      '    access: read',
      '    count: 1',
      '  - watch: flags',
      '    access: access',
      '    count: { min: 2 }',
    )).toEqual([
      'watch write guest_loop_counter hit at least once',
      'watch read guest_loop_counter hit once',
      'watch access flags hit at least 2 times',
    ]);
  });
});

describe('other titles', () => {
  test('text, code, stage and never', () => {
    expect(titles(
      '  - console: Hello from guest',
      "  - debugcon: { regex: 'done \\d+', flags: i }",
      '  - code: 0x05',
      '  - code: kernel',
      '  - never: Kernel panic',
      "  - never: { regex: 'Oops', channel: firmware }",
      '  - never: { code: 0xee }',
      '  - never: { code: custom }',
    )).toEqual([
      'console "Hello from guest"',
      'debugcon /done \\d+/i',
      'code 0x05',
      'code kernel (0x40-0x5f)',
      'never "Kernel panic"',
      'never firmware /Oops/',
      'never code 0xee',
      'never code custom (0x80-0xff)',
    ]);
  });

  test('guest results: a selector that starts with its line format\'s name (the cases\' default suite) says that name once', () => {
    const lines = (...expectLines: string[]) => scenario('exit: any', 'formats:', "  test_bpf: { line: '^(?<case>#\\d+ .*) (?<result>PASS|FAIL)$' }", 'expect:', ...expectLines).expectations.map(expectationTitle);
    expect(lines(
      "  - results: 'test_bpf->#7 ALU_MOV_X: dst = 2'",
      '    format: test_bpf',
      '  - results: test_bpf',
      '    format: test_bpf',
      '  - results: all',
      '    format: test_bpf',
      '  - results: other->x',
      '    format: test_bpf',
      "  - results: 'test_bpfx->y'",
      '    format: test_bpf',
      '  - uktest: ref_io_testsuite->test_read',
      '  - ktap: list',
      '    cases: 3',
    )).toEqual([
      'test_bpf->#7 ALU_MOV_X: dst = 2 passed',
      'suite test_bpf passed',
      'test_bpf all cases passed',
      'test_bpf other->x passed',
      'test_bpf test_bpfx->y passed',
      'uktest ref_io_testsuite->test_read passed',
      'ktap suite list passed (3 cases)',
    ]);
  });

  test.each([
    ['poweroff', 'exit poweroff'],
    ['any', 'exit any'],
    ['{ debug-exit: 0 }', 'exit debug-exit 0 (status 1)'],
    ['{ status: 43 }', 'exit status 43'],
  ])('exit %s', (exit, title) => {
    expect(exitTitle(scenario(`exit: ${exit}`).exit!)).toBe(title);
  });
});
