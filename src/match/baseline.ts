// Timing baselines: figures recorded from earlier runs, committed beside the scenarios, that a timing
// assertion can be held to (`baseline: 20%`: at most 20% slower than the recorded figure).
import type { TimingAssertion } from '../scenario/model.js';
import { spanText, statistic, type TimingMeasurement } from './timing.js';
import type { BaselineFigure, BaselineLookup } from './baseline-figure.js';

// Runner and monitor take the lookup type from here, beside the functions that produce it.
export type { BaselineLookup } from './baseline-figure.js';

/** A `<scenario file>.baseline.json`: per scenario name, per timing assertion (see baselineKey). */
export interface BaselineFile {
  version: 1;
  scenarios: Record<string, Record<string, BaselineFigure>>;
}

/** Names an assertion in the file by what it measures, so reordering the timing list keeps its figure. */
export function baselineKey(a: TimingAssertion): string {
  const qualifiers = [a.statistic === 'median' ? '' : a.statistic, a.clock === 'guest' ? 'guest clock' : ''].filter(Boolean);
  return `${spanText(a)}${qualifiers.length > 0 ? ` (${qualifiers.join(', ')})` : ''}`;
}

/** Reads a baseline file's text; throws an Error that says what is wrong with it. */
export function parseBaselineFile(text: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const file = data as Partial<BaselineFile>;
  if (typeof data !== 'object' || data === null || file.version !== 1 || typeof file.scenarios !== 'object' || file.scenarios === null) {
    throw new Error('expected {"version": 1, "scenarios": {...}} as vitest-guest baseline writes it');
  }
  for (const [scenario, figures] of Object.entries(file.scenarios)) {
    for (const [key, figure] of Object.entries(figures)) {
      if (typeof figure?.ms !== 'number' || !(figure.ms > 0)) throw new Error(`scenarios.${scenario}["${key}"].ms: expected a duration in ms above 0`);
    }
  }
  return file as BaselineFile;
}

/**
 * The figure each timing assertion of a scenario is compared with, index-aligned with its timing list;
 * undefined for assertions without `baseline`. `file` is the parsed file or why it could not be read.
 */
export function lookupBaselines(
  scenario: { name: string; timing: readonly TimingAssertion[] },
  file: BaselineFile | { unreadable: string },
  record: string,
): (BaselineLookup | undefined)[] {
  return scenario.timing.map((a) => {
    if (a.baselinePercent === undefined) return undefined;
    if ('unreadable' in file) return { missing: `${file.unreadable}; record one with ${record}` };
    const figure = file.scenarios[scenario.name]?.[baselineKey(a)];
    return figure ?? { missing: `no baseline recorded for "${baselineKey(a)}" of scenario ${scenario.name}; record one with ${record}` };
  });
}

/** The file with one scenario's figures replaced by those of the runs just measured. */
export function recordBaselines(
  file: BaselineFile | undefined,
  scenario: { name: string; timing: readonly TimingAssertion[] },
  runs: readonly (readonly TimingMeasurement[])[],
  recorded: Date,
): BaselineFile {
  const figures: Record<string, BaselineFigure> = {};
  scenario.timing.forEach((a, i) => {
    const values = runs.map((r) => r[i]!).map((m) => {
      if ('missing' in m) throw new Error(`${baselineKey(a)} was not measured: ${m.missing}`);
      return m.ms;
    });
    figures[baselineKey(a)] = {
      ms: round(statistic(a.statistic, values)),
      statistic: a.statistic,
      runs: values.length,
      spread: [round(Math.min(...values)), round(Math.max(...values))],
      clock: a.clock,
      recorded: recorded.toISOString(),
    };
  });
  const scenarios = { ...(file?.scenarios ?? {}), [scenario.name]: figures };
  // Sorted names: a re-recording changes only the lines of the figures that moved.
  return { version: 1, scenarios: Object.fromEntries(Object.keys(scenarios).sort().map((name) => [name, scenarios[name]!])) };
}

/** Microsecond precision: the host clock's own is about that. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
