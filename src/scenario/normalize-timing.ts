// Validated `timing` entries -> timing assertions, with the checks the schema cannot make.
import type { Node } from 'yaml';
import type { Expectation, Fault, GuestClock, TimingAssertion, TimingPoint } from './model.js';
import { checkRegex } from './regex-check.js';
import { STAGE_NAMES, type StageName } from './stages.js';
import { joinPath } from './issues.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import { childNode } from './yaml-nodes.js';
import { closest } from './did-you-mean.js';
import { userRegex } from '../regex/user-regex.js';

type Plain = Record<string, unknown>;

export function normalizeTiming(ctx: ValidationContext, seqNode: Node | undefined, raws: Plain[], expectations: readonly Expectation[], faults: readonly Fault[]): TimingAssertion[] | undefined {
  const named = [...expectations, ...faults];
  const items = (seqNode as { items?: Node[] } | undefined)?.items ?? [];
  let ok = true;
  const out: TimingAssertion[] = [];
  raws.forEach((raw, index) => {
    const node = items[index];
    const path = joinPath('timing', index);
    const fail = (message: string, hint?: string, at: Node | undefined = node, key = path): void => {
      ok = false;
      report(ctx, 'invalid-value', at, key, message, hint);
    };
    const between = raw.from !== undefined || raw.to !== undefined;
    if (between === (raw.stage !== undefined)) return fail('expected either from and to, or stage.', 'from: kernel, to: userspace limits the time between them; stage: kernel limits a stage\'s duration.');
    if (between && (raw.from === undefined || raw.to === undefined)) return fail(`missing "${raw.from === undefined ? 'from' : 'to'}".`, 'A span needs both ends: from: start, to: userspace.');
    if (raw.min === undefined && raw.max === undefined && raw.baseline === undefined) return fail('expected max, min, baseline, or several of them.', 'max: 1s; min: 100ms; baseline: 20% (at most 20% slower than the recorded baseline).');
    const max = raw.max === undefined ? undefined : limit(raw.max);
    const min = raw.min === undefined ? undefined : limit(raw.min);
    if (max !== undefined && min !== undefined && max.ms !== undefined && min.ms !== undefined && min.ms > max.ms) {
      return fail(`min (${min.ms} ms) is above max (${max.ms} ms).`, undefined, childNode(node, 'min'), joinPath(path, 'min'));
    }
    const pointOf = (key: 'from' | 'to'): TimingPoint | undefined => {
      const text = raw[key] as string;
      if (parsePoint(text, [], []) && named.some((e) => e.id === text)) {
        fail(`"${text}" is both ${text === 'start' || text === 'exit' ? `the run's ${text}` : 'a stage'} and the id of an expectation or fault.`, 'Rename the id.', childNode(node, key), joinPath(path, key));
        return undefined;
      }
      if (expectations.some((e) => e.id === text) && faults.some((f) => f.id === text)) {
        fail(`"${text}" is the id of both an expectation and a fault.`, 'Rename one of them.', childNode(node, key), joinPath(path, key));
        return undefined;
      }
      const point = parsePoint(text, expectations, faults);
      if (!point) {
        const known = [...STAGE_NAMES, 'start', 'exit', ...named.flatMap((e) => (e.id ? [e.id] : []))];
        const suggestion = closest(raw[key] as string, known);
        fail(`"${raw[key] as string}" is not start, exit, a stage or the id of an expectation or fault.`, suggestion ? `Did you mean "${suggestion}"?` : `Known: ${known.join(', ')}.`, childNode(node, key), joinPath(path, key));
      }
      return point;
    };
    const span = between ? (() => {
      const from = pointOf('from');
      const to = pointOf('to');
      return from && to ? { kind: 'between' as const, from, to } : undefined;
    })() : { kind: 'stage' as const, stage: raw.stage as StageName };
    if (!span) return;
    const clock = raw.clock === undefined || raw.clock === 'host' ? 'host' : 'guest';
    const guestClock = typeof raw.clock === 'object' ? parseGuestClock(ctx, childNode(node, 'clock'), joinPath(path, 'clock'), raw.clock as Plain) : undefined;
    if (guestClock === null) {
      ok = false;
      return;
    }
    if (clock === 'guest') {
      // Only lines carry the guest's own time: expectations met by a line, and the guest clock's zero.
      const untimed = span.kind === 'stage' ? `stage ${span.stage}` : [span.from, span.to].filter((p) => p.kind === 'stage' || p.kind === 'exit' || p.kind === 'fault').map((p) => (p.kind === 'stage' ? p.stage : p.kind === 'fault' ? `fault ${p.id}` : p.kind))[0];
      if (untimed) return fail(`${untimed} has no guest time: only expectations met by a line (and start, the guest clock's zero) do.`, 'Measure from start or between ids of console expectations, or use clock: host.', childNode(node, 'clock'), joinPath(path, 'clock'));
      if (max?.percent !== undefined) return fail('a share of the run needs the host clock: the guest does not print when the run ends.', undefined, childNode(node, 'max'), joinPath(path, 'max'));
    }
    out.push({
      index,
      span,
      ...(min?.ms !== undefined ? { minMs: min.ms } : {}),
      ...(max?.ms !== undefined ? { maxMs: max.ms } : {}),
      ...(max?.percent !== undefined ? { maxPercent: max.percent } : {}),
      ...(raw.baseline !== undefined ? { baselinePercent: Number((raw.baseline as string).slice(0, -1)) } : {}),
      clock,
      ...(guestClock ? { guestClock } : {}),
      statistic: (raw.statistic as TimingAssertion['statistic'] | undefined) ?? 'median',
      location: { file: ctx.file, ...positionOf(ctx, node) },
    });
  });
  return ok ? out : undefined;
}

const CLOCK_GROUPS = ['s', 'ms', 'us', 'ns', 'ticks'] as const;

/** `{regex, hz}` -> a guest clock, or null once what is wrong with it is reported. */
function parseGuestClock(ctx: ValidationContext, node: Node | undefined, path: string, raw: Plain): GuestClock | null {
  const regex = raw.regex as string;
  if (!checkRegex(ctx, childNode(node, 'regex'), joinPath(path, 'regex'), regex, '')) return null;
  const groups = Object.keys(userRegex(`${regex}|`, '').exec('')?.groups ?? {});
  const units = groups.filter((g): g is GuestClock['unit'] => (CLOCK_GROUPS as readonly string[]).includes(g));
  if (units.length !== 1) {
    report(ctx, 'invalid-value', childNode(node, 'regex'), joinPath(path, 'regex'), `expected one named group for the time, one of ${CLOCK_GROUPS.join(', ')}; got ${groups.length ? groups.join(', ') : 'none'}.`, 'e.g. tsc=(?<ticks>\\d+) with hz, or at (?<us>\\d+) us.');
    return null;
  }
  const unit = units[0]!;
  if ((unit === 'ticks') !== (raw.hz !== undefined)) {
    report(ctx, 'invalid-value', node, path, unit === 'ticks' ? 'a ticks group needs hz: how many ticks a second.' : `hz goes with a ticks group; ${unit} is a time already.`);
    return null;
  }
  return { regex, unit, ...(unit === 'ticks' ? { hz: raw.hz as number } : {}) };
}

/** start, exit, a stage name, or the id of an expectation or a fault: a point of the run's timeline. */
export function parsePoint(text: string, expectations: readonly Expectation[], faults: readonly Fault[]): TimingPoint | undefined {
  if (text === 'start' || text === 'exit') return { kind: text };
  if ((STAGE_NAMES as readonly string[]).includes(text)) return { kind: 'stage', stage: text as StageName };
  const expectation = expectations.find((e) => e.id === text);
  if (expectation) return { kind: 'expectation', index: expectation.index, id: text };
  const fault = faults.find((f) => f.id === text);
  return fault ? { kind: 'fault', index: fault.index, id: text } : undefined;
}

/** 250 (ms), "250ms", "1.5s", or "40%" (a share of the whole run). */
function limit(raw: unknown): { ms?: number; percent?: number } {
  if (typeof raw === 'number') return { ms: raw };
  const text = raw as string;
  if (text.endsWith('%')) return { percent: Number(text.slice(0, -1)) };
  if (text.endsWith('ms')) return { ms: Number(text.slice(0, -2)) };
  return { ms: Number(text.slice(0, -1)) * 1000 };
}
