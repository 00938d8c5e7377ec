// Validated `uktest`/`ktap` expectations and the `crash` key -> the scenario model.
import type { Node } from 'yaml';
import type { CaseSelector, Channel, CrashExpectation, Expectation } from './model.js';
import type { CaseStatus, GuestFormat } from '../results/guest-case.js';
import { joinPath } from './issues.js';
import { hitCount } from './normalize-debug.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import { closest } from './did-you-mean.js';
import { checkRegex } from './regex-check.js';
import { DEFAULT_RESULT_WORDS, namedGroups, OPTIONAL_GROUPS, REQUIRED_GROUPS, type LineFormat } from '../results/line-format.js';
import { childNode } from './yaml-nodes.js';

type Plain = Record<string, unknown>;
type Base = Pick<Expectation, 'index' | 'location' | 'after' | 'id'>;

/** `uktest: ...`, `ktap: ...`, or `results: ...` with `format:` naming one of `formats` (given by name). */
export function normalizeResults(ctx: ValidationContext, node: Node, raw: Plain, path: string, base: Base, key: GuestFormat | 'results', formats: readonly string[]): Expectation | undefined {
  const count = hitCount(ctx, childNode(node, 'cases'), raw.cases, joinPath(path, 'cases'));
  const format = key === 'results' ? (raw.format as string) : key;
  if (key === 'results' && !formats.includes(format)) {
    const suggestion = closest(format, formats);
    report(ctx, 'invalid-value', childNode(node, 'format'), joinPath(path, 'format'), `no format named "${format}" under formats:.`,
      suggestion ? `Did you mean "${suggestion}"?` : formats.length ? `Declared formats: ${formats.join(', ')}.` : 'Declare it: formats: { <name>: { line: <regex with (?<case>...) and (?<result>...)> } }.');
    return undefined;
  }
  if (!count) return undefined;
  return {
    ...base,
    kind: 'results',
    format,
    channel: (raw.channel as Channel | undefined) ?? 'console',
    select: caseSelector(raw[key] as string),
    status: (raw.status as CaseStatus | undefined) ?? 'passed',
    count,
  };
}

/** `formats: { name: { line, flags, passed, failed, skipped } }` -> line formats, their regexes checked. */
export function normalizeFormats(ctx: ValidationContext, node: Node | undefined, raw: Record<string, Plain>): LineFormat[] | undefined {
  let ok = true;
  const formats = Object.entries(raw).map(([name, spec]): LineFormat => {
    const path = joinPath('formats', name);
    const lineNode = childNode(childNode(node, name), 'line');
    const source = spec.line as string;
    const flags = (spec.flags as string | undefined) ?? '';
    if (!checkRegex(ctx, lineNode, joinPath(path, 'line'), source, flags)) ok = false;
    const groups = namedGroups(source);
    const missing = REQUIRED_GROUPS.filter((g) => !groups.includes(g));
    const unknown = groups.filter((g) => !(REQUIRED_GROUPS as readonly string[]).includes(g) && !(OPTIONAL_GROUPS as readonly string[]).includes(g));
    if (missing.length > 0 || unknown.length > 0) {
      ok = false;
      report(ctx, 'invalid-value', lineNode, joinPath(path, 'line'),
        missing.length > 0 ? `the regular expression has no named group ${missing.map((g) => `(?<${g}>...)`).join(' or ')}.` : `named group (?<${unknown[0]}>...) is not one this format knows.`,
        `Groups: ${[...REQUIRED_GROUPS, ...OPTIONAL_GROUPS].join(', ')} (case and result required).`);
    }
    const words: Record<string, CaseStatus> = {};
    for (const status of ['passed', 'failed', 'skipped'] as const) {
      for (const word of (spec[status] as string[] | undefined) ?? DEFAULT_RESULT_WORDS[status]) words[word] = status;
    }
    return { name, source, flags, words };
  });
  return ok ? formats : undefined;
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
