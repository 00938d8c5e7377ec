// `parse --formats FILE --format NAME`: finding a format in a scenario file's documents, and what parse says it looked for.
import { describe, expect, test } from 'vitest';
import { findLineFormat } from '../../src/cli/scenario-formats.js';
import { expectedOutput } from '../../src/cli/parse.js';
import { loadScenarioFile } from '../../src/scenario/load.js';

const load = (text: string) => loadScenarioFile({ displayPath: 'f.yaml', absolutePath: '/p/f.yaml', text });

const TWO_DOCUMENTS = [
  'name: one',
  'guest: { kernel: k.elf }',
  'exit: any',
  'formats:',
  "  toro: { line: '(?<case>Test\\w+): (?<result>[A-Z]+)', passed: [PASSED] }",
  '---',
  'name: two',
  'guest: { kernel: k.elf }',
  'exit: any',
  'formats:',
  "  lava: { line: 'lava-test: (?<case>\\S+) (?<result>pass|fail)', passed: [pass], failed: [fail] }",
].join('\n');

describe('findLineFormat', () => {
  test('finds a format declared in any document of the file, with its words', () => {
    expect(findLineFormat(load(TWO_DOCUMENTS), 'lava', 'f.yaml')).toEqual({
      format: { name: 'lava', source: 'lava-test: (?<case>\\S+) (?<result>pass|fail)', flags: '', words: { pass: 'passed', fail: 'failed', SKIPPED: 'skipped', SKIP: 'skipped' } },
    });
  });

  test('a name the file lacks lists every name it has', () => {
    expect(findLineFormat(load(TWO_DOCUMENTS), 'ktap', 'f.yaml')).toEqual({ error: 'vitest-guest: f.yaml has no format named "ktap" under formats:; it has "toro", "lava".' });
  });

  test('a file with no formats says how to declare one', () => {
    expect(findLineFormat(load('name: x\nguest: { kernel: k.elf }\nexit: any\n'), 'toro', 'f.yaml')).toMatchObject({ error: expect.stringContaining('f.yaml declares no formats: (a scenario key') });
  });

  test("an invalid document's issues are the error, at their YAML line", () => {
    const found = findLineFormat(load("name: x\nguest: { kernel: k.elf }\nexit: any\nformats:\n  bad: { line: '(?<case>x' }\n"), 'bad', 'f.yaml');
    expect(found).toMatchObject({ error: expect.stringMatching(/^f\.yaml:5:\d+: /) });
  });
});

describe('expectedOutput', () => {
  test('names only the format asked for', () => {
    expect(expectedOutput('ktap')).toBe('KTAP output from a `KTAP version 1` line on');
    expect(expectedOutput('uktest')).toBe('uktest `test: suite->case` lines');
    expect(expectedOutput('auto')).toBe('uktest `test: suite->case` lines or KTAP output from a `KTAP version 1` line on');
    expect(expectedOutput({ name: 'toro', source: '(?<case>T): (?<result>P)', flags: 'i', words: {} })).toBe('lines matching format "toro": /(?<case>T): (?<result>P)/i');
  });
});
