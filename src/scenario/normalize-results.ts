// Validated `uktest`/`ktap` expectations and the `crash` key -> the scenario model.
import type { Node } from 'yaml';
import type { CaseSelector, CrashExpectation, Expectation, ResultChannel } from './model.js';
import type { CaseStatus, GuestFormat } from '../results/guest-case.js';
import { joinPath } from './issues.js';
import { hitCount } from './normalize-debug.js';
import { positionOf, type ValidationContext } from './validate.js';
import { childNode } from './yaml-nodes.js';

type Plain = Record<string, unknown>;
type Base = Pick<Expectation, 'index' | 'location' | 'after' | 'id'>;

export function normalizeResults(ctx: ValidationContext, node: Node, raw: Plain, path: string, base: Base, format: GuestFormat): Expectation | undefined {
  const count = hitCount(ctx, childNode(node, 'cases'), raw.cases, joinPath(path, 'cases'));
  if (!count) return undefined;
  return {
    ...base,
    kind: 'results',
    format,
    channel: (raw.channel as ResultChannel | undefined) ?? 'console',
    select: caseSelector(raw[format] as string),
    status: (raw.status as CaseStatus | undefined) ?? 'passed',
    count,
  };
}

/** `all`; `suite->case` (a case pattern); anything else names suites. */
export function caseSelector(text: string): CaseSelector {
  if (text === 'all') return { kind: 'all' };
  return text.includes('->') ? { kind: 'case', pattern: text } : { kind: 'suite', pattern: text };
}

export function normalizeCrash(ctx: ValidationContext, scenarioNode: Node, raw: unknown): CrashExpectation {
  const location = { file: ctx.file, ...positionOf(ctx, childNode(scenarioNode, 'crash') ?? scenarioNode) };
  if (raw === undefined || raw === 'none') return { kind: 'none', location };
  if (raw === 'allowed') return { kind: 'allowed', location };
  if (raw === 'expected') return { kind: 'expected', crash: 'any', location };
  return { kind: 'expected', crash: (raw as Plain).expected as Extract<CrashExpectation, { kind: 'expected' }>['crash'], location };
}
