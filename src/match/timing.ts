// Timing assertions judged after a run, from when its points happened (host clock, ms since the resume).
import type { GuestClock, TimingAssertion, TimingPoint } from '../scenario/model.js';
import { stageRange, formatCode, type StageName } from '../scenario/stages.js';
import type { Verdict } from './verdict.js';
import type { BaselineLookup } from './baseline-figure.js';
import { userRegex } from '../regex/user-regex.js';

/** What a run recorded for timing: when each stage began and ended, when expectations were met, the end. */
export interface TimingFacts {
  stageStarts: ReadonlyMap<StageName, number>;
  /** A stage ends at the first code of another stage after it began. */
  stageEnds: ReadonlyMap<StageName, number>;
  /** When the guest exited or an `end` condition was met; undefined if the run was stopped otherwise. */
  exitAt: number | undefined;
  /** When the run finished, however it did: the end of a stage still running then, and of "the whole run". */
  runEnd: number;
  metAt(index: number): number | undefined;
  /** When a fault was first injected. */
  faultAt(index: number): number | undefined;
  /** The line that met an expectation, if a line did: guest clocks read their time from it. */
  metLine(index: number): string | undefined;
}

/** `[    1.234567]` at the start of a line: Linux printk and Unikraft ukdebug times, in seconds. */
export function guestTimeMs(line: string): number | undefined {
  const match = /^\[\s*(\d+)\.(\d{1,9})\]/.exec(line);
  return match ? Number(match[1]) * 1000 + Number(`0.${match[2]}`) * 1000 : undefined;
}

const MS_PER_UNIT = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 } as const;

/** The time a scenario's own guest clock reads on a line, in ms (see GuestClock). */
export function guestClockMs(clock: GuestClock, line: string): number | undefined {
  const value = userRegex(clock.regex, '').exec(line)?.groups?.[clock.unit];
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return clock.unit === 'ticks' ? (Number(value) / clock.hz!) * 1000 : Number(value) * MS_PER_UNIT[clock.unit];
}

export function timingTitle(a: TimingAssertion): string {
  const limits = [
    a.minMs !== undefined ? `at least ${a.minMs} ms` : '',
    a.maxMs !== undefined ? `at most ${a.maxMs} ms` : '',
    a.maxPercent !== undefined ? `at most ${a.maxPercent}% of the run` : '',
    a.baselinePercent !== undefined ? `at most ${a.baselinePercent}% slower than the baseline` : '',
  ].filter(Boolean).join(', ');
  return `timing ${spanText(a)} ${limits}${a.clock === 'guest' ? ' (guest clock)' : ''}`;
}

/** One run's figure for an assertion: the duration, its share of the run; or why it could not be measured. */
export type TimingMeasurement = { ms: number; percent: number; wholeMs: number } | { missing: string };

export function measureTiming(a: TimingAssertion, facts: TimingFacts): TimingMeasurement {
  const measured = measure(a, facts);
  if (typeof measured === 'string') return { missing: measured };
  const whole = facts.exitAt ?? facts.runEnd;
  return { ms: measured, percent: whole > 0 ? (measured / whole) * 100 : 0, wholeMs: whole };
}

export function judgeTiming(a: TimingAssertion, facts: TimingFacts): Verdict {
  return judgeMeasurements(a, [measureTiming(a, facts)], facts.runEnd);
}

/**
 * Judges one run's figure, or the assertion's statistic over several runs (`repeat`); the report
 * gives the figure, the limit, the statistic and the spread, and which clock they are on.
 */
export function judgeMeasurements(a: TimingAssertion, measurements: readonly TimingMeasurement[], t: number, baseline?: BaselineLookup): Verdict {
  const missing = measurements.findIndex((m) => 'missing' in m);
  if (missing !== -1) {
    const why = (measurements[missing] as { missing: string }).missing;
    return { status: 'failed', t, reason: `not measured${measurements.length > 1 ? ` in run ${missing + 1} of ${measurements.length}` : ''}: ${why}` };
  }
  const runs = measurements as { ms: number; percent: number; wholeMs: number }[];
  const clock = `${a.clock} clock`;
  const digits = a.clock === 'guest' ? 3 : 1;
  const ms = statistic(a.statistic, runs.map((r) => r.ms));
  const percent = statistic(a.statistic, runs.map((r) => r.percent));
  const over = runs.length > 1 ? `${a.statistic} of ${runs.length} runs ` : '';
  const spread = runs.length > 1 ? `, spread ${Math.min(...runs.map((r) => r.ms)).toFixed(digits)}-${Math.max(...runs.map((r) => r.ms)).toFixed(digits)} ms` : '';
  const figureBeside = (limit: number | undefined): string => `${spanText(a)}: ${over}${beside(ms, limit, digits)} ms${spread}`;
  const figure = figureBeside(undefined);
  if (a.maxMs !== undefined && ms > a.maxMs) return { status: 'failed', t, reason: `${figureBeside(a.maxMs)}, expected at most ${a.maxMs} ms (${clock})` };
  if (a.minMs !== undefined && ms < a.minMs) return { status: 'failed', t, reason: `${figureBeside(a.minMs)}, expected at least ${a.minMs} ms (${clock})` };
  const shareBeside = (limit: number | undefined): string => (runs.length > 1 ? `${beside(percent, limit, 1)}% (${a.statistic}) of the run` : `${beside(percent, limit, 1)}% of the ${runs[0]!.wholeMs.toFixed(1)} ms run`);
  if (a.maxPercent !== undefined && percent > a.maxPercent) return { status: 'failed', t, reason: `${figure}, ${shareBeside(a.maxPercent)}, expected at most ${a.maxPercent}% (${clock})` };
  let compared = '';
  if (a.baselinePercent !== undefined) {
    if (!baseline || 'missing' in baseline) return { status: 'failed', t, reason: `${figure}: ${baseline?.missing ?? 'no baseline was looked up'}` };
    const delta = ((ms - baseline.ms) / baseline.ms) * 100;
    const recorded = `${baseline.ms.toFixed(digits)} ms (${baseline.runs > 1 ? `${baseline.statistic} of ${baseline.runs} runs, ` : ''}recorded ${baseline.recorded.slice(0, 10)})`;
    if (delta > a.baselinePercent) return { status: 'failed', t, reason: `${figure}, ${beside(delta, a.baselinePercent, 1)}% slower than the baseline ${recorded}, expected at most ${a.baselinePercent}% slower (${clock})` };
    compared = `, ${delta >= 0 ? '+' : ''}${delta.toFixed(1)}% against the baseline ${recorded}`;
  }
  return { status: 'passed', t, detail: `${figure}${a.maxPercent !== undefined ? ` (${percent.toFixed(1)}% of the run)` : ''}${compared} (${clock})` };
}

/**
 * A figure rounded to `digits`, with as many more as it takes not to print the limit it is judged
 * against: 100.04 ms over a 100 ms limit reads "100.04 ms", never "100.0 ms, expected at most 100 ms".
 */
function beside(value: number, limit: number | undefined, digits: number): string {
  let shown = digits;
  while (limit !== undefined && shown < 9 && Number(value.toFixed(shown)) === limit) shown++;
  return value.toFixed(shown);
}

/** median: the middle run (the mean of the two middle ones for an even count); p90: nearest rank. */
export function statistic(kind: TimingAssertion['statistic'], values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  if (kind === 'max') return sorted.at(-1)!;
  if (kind === 'p90') return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The duration in ms, or why it cannot be known. */
function measure(a: TimingAssertion, facts: TimingFacts): number | string {
  if (a.span.kind === 'stage') {
    const start = facts.stageStarts.get(a.span.stage);
    if (start === undefined) return neverStarted(a.span.stage);
    return (facts.stageEnds.get(a.span.stage) ?? facts.runEnd) - start;
  }
  const from = when(a.span.from, facts, a.clock, a.guestClock);
  const to = when(a.span.to, facts, a.clock, a.guestClock);
  if (typeof from === 'string') return from;
  if (typeof to === 'string') return to;
  return to - from;
}

function when(point: TimingPoint, facts: TimingFacts, clock: 'host' | 'guest', guestClock: GuestClock | undefined): number | string {
  if (clock === 'guest' && point.kind === 'expectation') {
    if (facts.metAt(point.index) === undefined) return `expect[${point.index}] (id ${point.id}) was not met`;
    const line = facts.metLine(point.index);
    if (line === undefined) return `expect[${point.index}] (id ${point.id}) was not met by a line, so it has no guest time`;
    const time = guestClock ? guestClockMs(guestClock, line) : guestTimeMs(line);
    return time ?? `the line that met expect[${point.index}] (id ${point.id}) has no ${guestClock ? `time for the clock /${guestClock.regex}/` : '[ seconds ] time prefix'}`;
  }
  switch (point.kind) {
    case 'start': return 0;
    case 'exit': return facts.exitAt ?? 'the guest did not exit or end by itself';
    case 'stage': return facts.stageStarts.get(point.stage) ?? neverStarted(point.stage);
    case 'expectation': return facts.metAt(point.index) ?? `expect[${point.index}] (id ${point.id}) was not met`;
    case 'fault': return facts.faultAt(point.index) ?? `faults[${point.index}] (id ${point.id}) was never injected`;
  }
}

function neverStarted(stage: StageName): string {
  const { first, last } = stageRange(stage);
  return `stage ${stage} never started (no ${formatCode(first)}-${formatCode(last)} stage code)`;
}

export function spanText(a: TimingAssertion): string {
  if (a.span.kind === 'stage') return `stage ${a.span.stage}`;
  return `${pointText(a.span.from)} → ${pointText(a.span.to)}`;
}

function pointText(point: TimingPoint): string {
  return point.kind === 'stage' ? point.stage : point.kind === 'expectation' || point.kind === 'fault' ? point.id : point.kind;
}
