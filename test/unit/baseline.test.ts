// Timing baselines: the file, how assertions find their figure, recording, and judging against it.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineKey, lookupBaselines, parseBaselineFile, recordBaselines } from '../../src/match/baseline.js';
import { judgeMeasurements } from '../../src/match/timing.js';
import { oneScenario } from './support/one-scenario.js';
import { monitorFor } from './support/monitor.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/baselines');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const RECORD = 'npx vitest-guest baseline b.yaml';

const { ok, issue } = oneScenario('b.yaml', ['name: boot', 'guest: { kernel: k.elf }', 'exit: any', 'expect:', '  - id: up', '    console: up']);
const scenario = ok('timing:', '  - stage: kernel', '    baseline: 20%', '  - stage: kernel', '    statistic: p90', '    baseline: 5%', '  - from: start', '    to: up', '    clock: guest', '    baseline: 10%', '  - stage: firmware', '    max: 1s');
const [median, p90, guest, plain] = scenario.timing;
const runs = (...ms: number[]) => ms.map((v) => ({ ms: v, percent: v / 10, wholeMs: 1000 }));

describe('baseline in the scenario', () => {
  test('a share slower than the recorded figure; the file sits beside the scenario file', () => {
    expect(median).toMatchObject({ baselinePercent: 20, statistic: 'median' });
    expect(plain!.baselinePercent).toBeUndefined();
    expect(scenario.baselineFile).toBe('/p/b.baseline.json');
    expect(issue('timing:', '  - stage: kernel', '    baseline: 20 percent')).toMatchObject({ path: 'timing[0].baseline', line: 9 });
  });

  test('keys name what is measured, with a statistic other than the median and the guest clock', () => {
    expect(scenario.timing.map(baselineKey)).toEqual(['stage kernel', 'stage kernel (p90)', 'start → up (guest clock)', 'stage firmware']);
  });
});

describe('the baseline file', () => {
  test('each assertion with a baseline finds its own figure', () => {
    const found = lookupBaselines(scenario, parseBaselineFile(fixture('boot.baseline.json')), RECORD);
    expect(found.map((f) => (f && 'ms' in f ? f.ms : f))).toEqual([100, 110, 1500.5, undefined]);
  });

  test('a figure the file lacks, a file that is not there or not a baseline: why, and how to record one', () => {
    const other = oneScenario('b.yaml', ['name: other', 'guest: { kernel: k.elf }', 'exit: any']).ok('timing:', '  - stage: kernel', '    baseline: 20%');
    expect(lookupBaselines(other, parseBaselineFile(fixture('boot.baseline.json')), RECORD)).toEqual([{ missing: `no baseline recorded for "stage kernel" of scenario other; record one with ${RECORD}` }]);
    expect(lookupBaselines(other, { unreadable: 'there is no baseline file b.baseline.json' }, RECORD)).toEqual([{ missing: `there is no baseline file b.baseline.json; record one with ${RECORD}` }]);
    expect(() => parseBaselineFile(fixture('bad-figure.baseline.json'))).toThrow('scenarios.boot["stage kernel"].ms: expected a duration in ms above 0');
    expect(() => parseBaselineFile(fixture('other-version.baseline.json'))).toThrow('expected {"version": 1, "scenarios": {...}} as vitest-guest baseline writes it');
    expect(() => parseBaselineFile(fixture('truncated.baseline.json'))).toThrow(/^not JSON: /);
  });

  test('recording: the statistic and spread over the runs, one scenario replaced, names sorted', () => {
    const existing = parseBaselineFile(fixture('boot.baseline.json'));
    const measured = [[{ ms: 101 }, { ms: 101 }, { ms: 1400 }, { ms: 20 }], [{ ms: 99.1234567 }, { ms: 99.1234567 }, { ms: 1450 }, { ms: 22 }], [{ ms: 130 }, { ms: 130 }, { ms: 1500 }, { ms: 21 }]]
      .map((run) => run.map((m) => ({ ...m, percent: 0, wholeMs: 2000 })));
    const file = recordBaselines(existing, scenario, measured, new Date('2026-12-01T12:00:00Z'));
    expect(file.scenarios.boot).toEqual({
      'stage kernel': { ms: 101, statistic: 'median', runs: 3, spread: [99.123, 130], clock: 'host', recorded: '2026-12-01T12:00:00.000Z' },
      'stage kernel (p90)': { ms: 130, statistic: 'p90', runs: 3, spread: [99.123, 130], clock: 'host', recorded: '2026-12-01T12:00:00.000Z' },
      'start → up (guest clock)': { ms: 1450, statistic: 'median', runs: 3, spread: [1400, 1500], clock: 'guest', recorded: '2026-12-01T12:00:00.000Z' },
      'stage firmware': { ms: 21, statistic: 'median', runs: 3, spread: [20, 22], clock: 'host', recorded: '2026-12-01T12:00:00.000Z' },
    });
    const another = recordBaselines(file, { name: 'aaa', timing: [plain!] }, [[{ ms: 5, percent: 0, wholeMs: 9 }]], new Date(0));
    expect(Object.keys(another.scenarios)).toEqual(['aaa', 'boot']);
    expect(another.scenarios.boot).toEqual(file.scenarios.boot);
    expect(() => recordBaselines(undefined, scenario, [[{ missing: 'stage kernel never started' }, { ms: 1, percent: 0, wholeMs: 1 }, { ms: 1, percent: 0, wholeMs: 1 }, { ms: 1, percent: 0, wholeMs: 1 }]], new Date(0)))
      .toThrow('stage kernel was not measured: stage kernel never started');
  });
});

describe('judging against a baseline', () => {
  const figure = { ms: 100, statistic: 'median' as const, runs: 5, spread: [98, 104] as [number, number], clock: 'host' as const, recorded: '2026-11-30T10:00:00.000Z' };

  test('the delta either way, and a failure past the share', () => {
    expect(judgeMeasurements(median!, runs(112), 1, figure)).toEqual({ status: 'passed', t: 1, detail: 'stage kernel: 112.0 ms, +12.0% against the baseline 100.0 ms (median of 5 runs, recorded 2026-11-30) (host clock)' });
    expect(judgeMeasurements(median!, runs(90), 1, figure)).toMatchObject({ status: 'passed', detail: 'stage kernel: 90.0 ms, -10.0% against the baseline 100.0 ms (median of 5 runs, recorded 2026-11-30) (host clock)' });
    expect(judgeMeasurements(median!, runs(110, 125, 130), 1, figure)).toEqual({ status: 'failed', t: 1, reason: 'stage kernel: median of 3 runs 125.0 ms, spread 110.0-130.0 ms, 25.0% slower than the baseline 100.0 ms (median of 5 runs, recorded 2026-11-30), expected at most 20% slower (host clock)' });
  });

  test('a delta just past the share shows the digits that put it there', () => {
    expect(judgeMeasurements(median!, runs(120.03), 1, figure)).toMatchObject({ status: 'failed', reason: 'stage kernel: 120.0 ms, 20.03% slower than the baseline 100.0 ms (median of 5 runs, recorded 2026-11-30), expected at most 20% slower (host clock)' });
  });

  test('no figure to compare with fails the assertion, saying how to record one', () => {
    expect(judgeMeasurements(median!, runs(100), 1, { missing: `there is no baseline file b.baseline.json; record one with ${RECORD}` })).toEqual({ status: 'failed', t: 1, reason: `stage kernel: 100.0 ms: there is no baseline file b.baseline.json; record one with ${RECORD}` });
  });
});

describe('points of counted expectations', () => {
  test('a breakpoint counted to the end is a timing point at its last hit, not at the end of the run', () => {
    const m = monitorFor('exit: any', 'expect:', '  - id: entered', '    breakpoint: start_kernel', '    count: 1', 'timing:', '  - from: start', '    to: entered', '    max: 50');
    m.hit({ expectations: [0], where: 'start_kernel', vcpu: 0 }, 40);
    m.exit({ kind: 'poweroff' }, 900);
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'passed', detail: 'start → entered: 40.0 ms (host clock)' });
  });
});
