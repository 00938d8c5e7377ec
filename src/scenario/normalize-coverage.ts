// Validated `coverage:` and `profile:` -> the model, with the checks the schema cannot make.
import type { Node } from 'yaml';
import type { CoverageCheck, CoverageSpec, Expectation, Fault, ProfileSpec, SourceLocation } from './model.js';
import { joinPath } from './issues.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import { childNode } from './yaml-nodes.js';
import { parsePoint } from './normalize-timing.js';
import { closest } from './did-you-mean.js';
import { STAGE_NAMES } from './stages.js';

type Plain = Record<string, unknown>;

const DEFAULT_PROFILE_TOP = 10;

/** undefined when coverage is off; null after reporting an issue. */
export function normalizeCoverage(ctx: ValidationContext, node: Node | undefined, raw: unknown): CoverageSpec | undefined {
  if (raw === undefined || raw === false) return undefined;
  const location = locationOf(ctx, node);
  if (raw === true) return { location, checks: [] };
  const list = Array.isArray(raw) ? (raw as Plain[]) : [raw as Plain];
  const items = Array.isArray(raw) ? ((node as { items?: Node[] } | undefined)?.items ?? []) : [node];
  return {
    location,
    checks: list.map((check, i): CoverageCheck => {
      const at = locationOf(ctx, items[i]);
      if (check.never !== undefined) return { kind: 'never', globs: check.never as string[], location: at };
      const min = check.min === undefined ? 100 : Number((check.min as string).slice(0, -1));
      return { kind: 'functions', glob: check.functions as string, minPercent: min, location: at };
    }),
  };
}

/** undefined when profiles are off; null after reporting an issue. */
export function normalizeProfile(ctx: ValidationContext, node: Node | undefined, raw: unknown, expectations: readonly Expectation[], faults: readonly Fault[]): ProfileSpec | undefined | null {
  if (raw === undefined || raw === false) return undefined;
  const location = locationOf(ctx, node);
  if (raw === true) return { location, top: DEFAULT_PROFILE_TOP, stages: false, between: [] };
  const map = raw as Plain;
  const spans = (map.between ?? []) as Plain[];
  const spanNodes = (childNode(node, 'between') as { items?: Node[] } | undefined)?.items ?? [];
  let ok = true;
  const between = spans.map((span, i) => {
    const pointOf = (key: 'from' | 'to') => {
      const text = span[key] as string;
      const point = parsePoint(text, expectations, faults);
      if (!point) {
        ok = false;
        const known = [...STAGE_NAMES, 'start', 'exit', ...[...expectations, ...faults].flatMap((e) => (e.id ? [e.id] : []))];
        const suggestion = closest(text, known);
        report(ctx, 'invalid-value', childNode(spanNodes[i], key) ?? spanNodes[i], joinPath(joinPath(joinPath('profile', 'between'), i), key),
          `"${text}" is not start, exit, a stage or the id of an expectation or fault.`, suggestion ? `Did you mean "${suggestion}"?` : `Known: ${known.join(', ')}.`);
      }
      return point;
    };
    return { from: pointOf('from'), to: pointOf('to'), location: locationOf(ctx, spanNodes[i]) };
  });
  if (!ok) return null;
  return {
    location,
    top: (map.top as number | undefined) ?? DEFAULT_PROFILE_TOP,
    stages: map.stages === true,
    between: between.map((span) => ({ from: span.from!, to: span.to!, location: span.location })),
  };
}

function locationOf(ctx: ValidationContext, node: unknown): SourceLocation {
  return { file: ctx.file, ...positionOf(ctx, node) };
}
