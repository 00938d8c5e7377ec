// The combined parser: format selection, both formats in one log, and its streaming contract.
import { describe, expect, test } from 'vitest';
import { createGuestResultParser, type GuestFormatOption } from '../../src/results/guest-result-parser.js';
import type { ResultEvent } from '../../src/results/result-events.js';
import type { LineFormat } from '../../src/results/line-format.js';

const UKTEST = ['test: s->u', '\texpected `x` to be true ........ [ PASSED ]'];
const KTAP = ['KTAP version 1', '1..1', 'not ok 1 k'];

function run(lines: string[], format: GuestFormatOption | LineFormat): ResultEvent[] {
  const parser = createGuestResultParser({ format });
  return [...lines.flatMap((line) => parser.feedLine(line)), ...parser.finish()];
}

const found = (events: ResultEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'case-finished' ? [`${e.case.format} ${e.case.suite}->${e.case.case}: ${e.case.status}`] : []));

describe('createGuestResultParser', () => {
  test('auto reads both formats, even in one log; a named format reads only its own', () => {
    const log = [...UKTEST, ...KTAP];
    // The uktest case has no end marker: it ends with the output, after the KTAP case.
    expect(found(run(log, 'auto'))).toEqual(['ktap main->k: failed', 'uktest s->u: passed']);
    expect(found(run(log, 'uktest'))).toEqual(['uktest s->u: passed']);
    expect(found(run(log, 'ktap'))).toEqual(['ktap main->k: failed']);
  });

  test("a scenario's own line format reads only its lines; crashes are still found", () => {
    const own = { name: 'toro', source: '(?<case>Test\\w+): (?<result>[A-Z]+)$', flags: '', words: { PASSED: 'passed' as const, FAILED: 'failed' as const } };
    const log = [...UKTEST, ...KTAP, 'TestFreeMem: PASSED', 'TestAlloc: FAILED', 'Kernel panic - not syncing: boom'];
    const events = run(log, own);
    expect(found(events)).toEqual(['toro toro->TestFreeMem: passed', 'toro toro->TestAlloc: failed']);
    expect(events.filter((e) => e.type === 'crash-detected')).toHaveLength(1);
  });

  test('auto is the default', () => {
    const parser = createGuestResultParser();
    [...KTAP, ...UKTEST].forEach((line) => parser.feedLine(line));
    parser.finish();
    expect(parser.summary()).toEqual({ passed: 1, failed: 1, crashed: 0, skipped: 0, crashes: 0, fatalCrashes: 0, droppedCrashes: 0 });
  });

  test('with both formats running, a crash names the case of the one seen last', () => {
    const crashCase = (lines: string[]) => run([...lines, 'Assertion failure: x'], 'auto').find((e) => e.type === 'crash-detected');
    expect(crashCase(['KTAP version 1', '1..2', 'ok 1 k1', 'test: s->u'])).toMatchObject({ case: 's->u' });
    expect(crashCase(['test: s->u', 'KTAP version 1', '1..2', 'ok 1 k1'])).toMatchObject({ case: 'main->#2' });
  });

  test('summary() counts as lines arrive; finish() ends the open case once; feeding after it is a mistake', () => {
    const parser = createGuestResultParser({ format: 'uktest' });
    UKTEST.forEach((line) => parser.feedLine(line));
    expect(parser.summary().passed).toBe(0);
    expect(found([...parser.finish()])).toEqual(['uktest s->u: passed']);
    expect(parser.summary().passed).toBe(1);
    expect(parser.finish()).toEqual([]);
    expect(() => parser.feedLine('test: s->late')).toThrow('feedLine() called after finish()');
  });
});
