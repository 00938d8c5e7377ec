import { describe, expect, test } from 'vitest';
import { generateTestModule } from '../../src/vitest/generate-module.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const YAML = [
  'name: good', //                              1
  'guest: { kernel: k.elf }', //                2
  'exit: { debug-exit: 21 }', //                3
  'expect:', //                                 4
  '  - console: Hello', //                      5
  '  - code: 0x41', //                          6
  '  - code: kernel', //                        7
  "  - never: { regex: 'Oops', flags: i }", //  8
  "  - debugcon: { regex: 'done \\d+' }", //    9
  '---', //                                     10
  'name: broken', //                            11
  'guest: { kernel: k.elf }', //                12
  'timeout: "ten"', //                          13
  'exit: any', //                               14
].join('\n');

const documents = loadScenarioFile({ displayPath: 'scenarios/x.yaml', absolutePath: '/p/scenarios/x.yaml', text: YAML });
const POLICY = { mode: 'skip' as const, hint: 'Run fetch.sh.' };
const { code, map } = generateTestModule(documents, '/p/scenarios/x.yaml', YAML, '/lib/runtime.js', POLICY);
const lines = code.split('\n');

/** Runs the generated module body with recording stand-ins for Vitest and the runtime. */
function evaluate(): { suites: string[]; tests: string[]; checks: unknown[]; invalid: unknown[]; runtimes: unknown[][] } {
  const record = { suites: [] as string[], tests: [] as string[], checks: [] as unknown[], invalid: [] as unknown[], runtimes: [] as unknown[][] };
  const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
  const runtime = (...args: unknown[]) => (record.runtimes.push(args), { suiteOptions: {}, testOptions: {}, stop: () => undefined, check: (key: unknown) => record.checks.push(key) });
  const describeFn = (name: string, ...rest: unknown[]) => { record.suites.push(name); (rest.at(-1) as () => void)(); };
  const testFn = (name: string, ...rest: unknown[]) => { record.tests.push(name); (rest.at(-1) as (ctx: unknown) => void)({}); };
  const invalidDocument = (issues: unknown) => record.invalid.push(issues);
  new Function('describe', 'test', 'afterAll', 'scenarioRuntime', 'invalidDocument', body)(describeFn, testFn, () => undefined, runtime, invalidDocument);
  return record;
}

describe('generateTestModule', () => {
  test('the fixture has one good and one broken document', () => {
    expect(documents.map((d) => d.ok)).toEqual([true, false]);
  });

  test('imports vitest and the runtime by the given path', () => {
    expect(lines[0]).toBe("import { describe, test, afterAll } from 'vitest';");
    expect(lines[1]).toBe('import { scenarioRuntime, invalidDocument } from "/lib/runtime.js";');
  });

  test('one describe per document, one test per expectation plus the exit test', () => {
    const run = evaluate();
    expect(run.suites).toEqual(['good', 'broken']);
    expect(run.tests).toEqual([
      'console "Hello"',
      'code 0x41',
      'code kernel (0x40-0x5f)',
      'never /Oops/i',
      'debugcon /done \\d+/',
      'exit debug-exit 21 (status 43)',
      'scenario is valid',
    ]);
    expect(run.checks).toEqual([0, 1, 2, 3, 4, 'exit']);
    expect(run.invalid).toEqual([[expect.objectContaining({ code: 'wrong-type', line: 13, col: 10, path: 'timeout' })]]);
  });

  test("each scenario's runtime gets its scenario, the YAML path and the plugin's missing-guests policy", () => {
    const [[scenario, path, policy]] = evaluate().runtimes as [[{ name: string }, string, unknown]];
    expect(scenario.name).toBe('good');
    expect(path).toBe('/p/scenarios/x.yaml');
    expect(policy).toEqual({ mode: 'skip', hint: 'Run fetch.sh.' });
    expect(evaluate().runtimes).toHaveLength(1);
  });

  test('the source map sends each test line to its YAML line', () => {
    expect(map.sources).toEqual(['/p/scenarios/x.yaml']);
    expect(map.sourcesContent).toEqual([YAML]);
    const segments = map.mappings.split(';');
    expect(segments).toHaveLength(lines.length);
    // Follow the original-line deltas (third VLQ field); every delta here fits one base64 digit.
    let yamlLine = 0;
    const testLines: [string, number][] = [];
    segments.forEach((segment, i) => {
      if (!segment) return;
      const digit = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(segment[2]!);
      expect(segment).toHaveLength(4);
      yamlLine += digit & 1 ? -(digit >> 1) : digit >> 1;
      const title = /^\s*test\((".*?"),/.exec(lines[i]!);
      if (title) testLines.push([JSON.parse(title[1]!) as string, yamlLine + 1]);
    });
    expect(testLines).toEqual([
      ['console "Hello"', 5],
      ['code 0x41', 6],
      ['code kernel (0x40-0x5f)', 7],
      ['never /Oops/i', 8],
      ['debugcon /done \\d+/', 9],
      ['exit debug-exit 21 (status 43)', 3],
      ['scenario is valid', 13],
    ]);
  });

  test('import lines and closing lines of the broken document map nowhere', () => {
    const segments = map.mappings.split(';');
    expect(segments.slice(0, 2)).toEqual(['', '']);
    expect(segments.at(-1)).toBe('');
    expect(lines.at(-1)).toBe('});');
  });
});
