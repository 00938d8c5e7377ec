// Golden guest logs: every log in test/fixtures/results/ parses to the JSON beside it, however its bytes
// are cut, the same way `vitest-guest parse --json` prints it.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../src/timeline/line-splitter.js';
import { createGuestResultParser, type GuestFormatOption } from '../../src/results/guest-result-parser.js';
import { ResultJsonBuilder, type ResultJson } from '../../src/results/result-json.js';
import { chunkings } from './chunkings.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/results/', import.meta.url));
const logs = readdirSync(FIXTURES).filter((f) => f.endsWith('.log')).sort();

/** LineSplitter + parser over the chunks, as the CLI streams a file. */
function parse(chunks: readonly Uint8Array[], format: GuestFormatOption): ResultJson {
  const splitter = new LineSplitter();
  const parser = createGuestResultParser({ format });
  const json = new ResultJsonBuilder();
  for (const chunk of chunks) for (const line of splitter.push(chunk, 0)) json.add(parser.feedLine(line.text));
  for (const line of splitter.end(0)) json.add(parser.feedLine(line.text));
  json.add(parser.finish());
  return json.build(parser.summary());
}

/** The format a log is in by its name, to check that naming it gives what 'auto' finds. */
function formatOf(log: string): GuestFormatOption | undefined {
  if (/^(?:uktest-|unikraft-|reference-uktest)/.test(log)) return 'uktest';
  if (/^(?:ktap-|reference-ktap|truncated-output|linux-oops|linux-warning)/.test(log)) return 'ktap';
  return undefined;
}

describe('golden guest logs', () => {
  test('there are logs of every kind', () => {
    expect(logs.length).toBeGreaterThanOrEqual(25);
    expect(logs.filter((l) => l.startsWith('reference-'))).toHaveLength(10);
  });

  test.each(logs)('%s: the expected JSON however the bytes are cut', (log) => {
    const data = new Uint8Array(readFileSync(`${FIXTURES}${log}`));
    const expected = JSON.parse(readFileSync(`${FIXTURES}${log.replace(/\.log$/, '.expected.json')}`, 'utf8')) as ResultJson;
    for (const [how, chunks] of chunkings(data)) expect(parse(chunks, 'auto'), how).toEqual(expected);
    const format = formatOf(log);
    if (format) expect(parse([data], format), `--format ${format}`).toEqual(expected);
  });

  test('the colour fixture really holds ESC bytes and the firmware one CRLF endings', () => {
    expect(readFileSync(`${FIXTURES}uktest-colour.log`).includes(0x1b)).toBe(true);
    expect(readFileSync(`${FIXTURES}uktest-firmware-noise.log`).includes('\r\n')).toBe(true);
  });
});
