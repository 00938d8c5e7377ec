// Checks a YAML node against a schema node, collecting every problem with its position.
import { isMap, isScalar, isSeq, isAlias, type Alias, type LineCounter, type Node, type Pair } from 'yaml';
import { describeExpected, type ObjectNode, type SchemaNode } from './schema-dsl.js';
import { closest } from './did-you-mean.js';
import { joinPath, type ScenarioIssue, type ScenarioIssueCode } from './issues.js';

export interface ValidationContext {
  file: string;
  lineCounter: LineCounter;
  issues: ScenarioIssue[];
  /** What each alias of the document names (yaml-aliases.ts): yaml's Alias.resolve walks the whole document per call. */
  aliases: ReadonlyMap<Alias, Node | undefined>;
}

/** Where a node starts, 1-based. */
export function positionOf(ctx: ValidationContext, node: unknown): { line: number; col: number } {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return { line: 1, col: 1 };
  return ctx.lineCounter.linePos(range[0]);
}

export function report(ctx: ValidationContext, code: ScenarioIssueCode, node: unknown, path: string, message: string, hint?: string): void {
  ctx.issues.push({ code, file: ctx.file, ...positionOf(ctx, node), path, message, hint });
}

/**
 * check() on a node that may be an alias. A problem in an aliased value is placed where its anchor's value is
 * written; the hint says which use of it brought it there.
 */
function checkNode(ctx: ValidationContext, raw: unknown, schema: SchemaNode, path: string): unknown {
  if (!isAlias(raw)) return check(ctx, raw, schema, path);
  const before = ctx.issues.length;
  const value = check(ctx, ctx.aliases.get(raw), schema, path);
  const { line, col } = positionOf(ctx, raw);
  for (const issue of ctx.issues.slice(before)) {
    issue.hint = `Reached through the alias *${raw.source} at line ${line}, column ${col}.${issue.hint ? ` ${issue.hint}` : ''}`;
  }
  return value;
}

function received(node: unknown): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'nothing';
    // A tagged scalar (!!binary, !!timestamp) holds an object, which would print as its insides.
    return typeof node.value === 'object' ? `a value tagged ${node.tag}` : JSON.stringify(node.value);
  }
  return 'nothing';
}

/** Returns the plain value when the node conforms; otherwise reports and returns undefined. */
export function validate(ctx: ValidationContext, raw: unknown, schema: SchemaNode, path: string): unknown {
  const before = ctx.issues.length;
  const value = checkNode(ctx, raw, schema, path);
  return ctx.issues.length === before ? value : undefined;
}

function mismatch(ctx: ValidationContext, node: unknown, schema: SchemaNode, path: string): undefined {
  report(ctx, 'wrong-type', node, path, `expected ${describeExpected(schema)}, got ${received(node)}.`);
  return undefined;
}

function check(ctx: ValidationContext, node: unknown, schema: SchemaNode, path: string): unknown {
  switch (schema.kind) {
    case 'string': {
      if (!isScalar(node) || typeof node.value !== 'string') return mismatch(ctx, node, schema, path);
      if (schema.minLength && node.value.length < schema.minLength) {
        report(ctx, 'invalid-value', node, path, 'must not be empty.');
      } else if (schema.pattern && !new RegExp(schema.pattern).test(node.value)) {
        report(ctx, 'invalid-value', node, path, `expected ${describeExpected(schema)}, got ${JSON.stringify(node.value)}.`);
      }
      return node.value;
    }
    case 'enum': {
      if (!isScalar(node) || typeof node.value !== 'string' || !schema.values.includes(node.value)) {
        const got = isScalar(node) ? String(node.value) : '';
        const suggestion = schema.aliases?.[got.toLowerCase()] ?? closest(got, schema.values);
        report(ctx, 'invalid-value', node, path, `expected ${describeExpected(schema)}, got ${received(node)}.`,
          suggestion ? `Did you mean "${suggestion}"?` : undefined);
        return undefined;
      }
      return node.value;
    }
    case 'integer':
    case 'number': {
      if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value)) return mismatch(ctx, node, schema, path);
      const n = node.value;
      const outside = (schema.kind === 'integer' && !Number.isInteger(n))
        || (schema.minimum !== undefined && n < schema.minimum)
        || (schema.maximum !== undefined && n > schema.maximum)
        || (schema.kind === 'number' && schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum);
      if (outside) report(ctx, 'invalid-value', node, path, `expected ${describeExpected(schema)}, got ${n}.`);
      return n;
    }
    case 'boolean':
      if (!isScalar(node) || typeof node.value !== 'boolean') return mismatch(ctx, node, schema, path);
      return node.value;
    case 'array': {
      if (!isSeq(node)) return mismatch(ctx, node, schema, path);
      if (schema.minItems && node.items.length < schema.minItems) {
        report(ctx, 'invalid-value', node, path, `expected at least ${schema.minItems} item(s).`);
      }
      const items = node.items.map((item, i) => checkNode(ctx, item, schema.items, joinPath(path, i)));
      if (schema.uniqueItems) checkUnique(ctx, node.items as Node[], items, path);
      return items;
    }
    case 'object':
      if (!isMap(node)) return mismatch(ctx, node, schema, path);
      return checkObject(ctx, node.items as Pair[], node, schema, path);
    case 'union':
      return checkUnion(ctx, node, schema, path);
    case 'map': {
      if (!isMap(node)) return mismatch(ctx, node, schema, path);
      const out: Record<string, unknown> = {};
      for (const pair of node.items as Pair[]) out[keyName(pair)] = checkNode(ctx, pair.value, schema.values, joinPath(path, keyName(pair)));
      return out;
    }
    case 'keyed': {
      if (!isMap(node)) return mismatch(ctx, node, schema, path);
      const keys = (node.items as Pair[]).map((p) => keyName(p));
      const variantKeys = Object.keys(schema.variants);
      const present = keys.filter((k) => variantKeys.includes(k));
      if (present.length !== 1) {
        const first = keys.find((k) => !['id', 'after'].includes(k)) ?? '';
        const suggestion = closest(first, variantKeys);
        const message = present.length === 0
          ? `expected ${describeExpected(schema)}, got ${keys.length ? `the keys ${keys.join(', ')}` : 'an empty map'}.`
          : `expected exactly one of ${variantKeys.join(', ')}, got ${present.join(' and ')}; split them into separate list items.`;
        report(ctx, present.length === 0 ? 'unknown-key' : 'invalid-value', node, path, message,
          present.length === 0 && suggestion ? `Did you mean "${suggestion}"?` : undefined);
        return undefined;
      }
      return checkObject(ctx, node.items as Pair[], node, schema.variants[present[0]!]!, path);
    }
  }
}

/** A list whose items must differ: each repeat is reported at its own line, naming where the value came first. */
function checkUnique(ctx: ValidationContext, nodes: readonly Node[], values: readonly unknown[], path: string): void {
  const first = new Map<unknown, number>();
  values.forEach((value, i) => {
    if (value === undefined || typeof value === 'object') return;
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, i);
      return;
    }
    const { line } = positionOf(ctx, nodes[earlier]);
    report(ctx, 'invalid-value', nodes[i], joinPath(path, i), `${JSON.stringify(value)} is listed twice (first at line ${line}).`, 'List each value once.');
  });
}

const MERGE_KEY = '<<';
const MERGE_KEY_HINT = 'YAML merge keys are a YAML 1.1 extension that scenario files (YAML 1.2) do not read: share settings with a `defaults:` document, or write the keys out.';

function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function checkObject(ctx: ValidationContext, pairs: Pair[], node: unknown, schema: ObjectNode, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = Object.keys(schema.properties);
  for (const pair of pairs) {
    const key = keyName(pair);
    const keyPath = joinPath(path, key);
    const property = schema.properties[key];
    if (!property) {
      const suggestion = closest(key, known);
      report(ctx, 'unknown-key', pair.key, keyPath, `unknown key "${key}".`, key === MERGE_KEY ? MERGE_KEY_HINT
        : suggestion ? `Did you mean "${suggestion}"?` : `Valid keys here: ${known.join(', ')}.`);
      continue;
    }
    out[key] = checkNode(ctx, pair.value, property, keyPath);
  }
  for (const required of schema.required ?? []) {
    if (!pairs.some((p) => keyName(p) === required)) {
      report(ctx, 'missing-key', node, path, `missing required key "${required}".`,
        schema.properties[required]?.description ? `(${schema.properties[required]!.description})` : undefined);
    }
  }
  return out;
}

/** Picks the variant whose YAML shape fits (scalar type, map or list) and reports against that one. */
function checkUnion(ctx: ValidationContext, node: unknown, schema: Extract<SchemaNode, { kind: 'union' }>, path: string): unknown {
  const fits = schema.variants.filter((variant) => shapeFits(node, variant));
  const big = imprecise(node);
  if (big && schema.variants.some((variant) => variant.kind === 'string')) {
    report(ctx, 'invalid-value', node, path, `${big.text} is beyond 2^53: YAML reads it as a number and loses precision (${big.value}).`, `Quote it: "${big.quoted}".`);
    return undefined;
  }
  if (fits.length === 0) {
    report(ctx, 'wrong-type', node, path, `expected ${schema.expected}, got ${received(node)}.`);
    return undefined;
  }
  // Several variants of one shape (e.g. two maps): take the first that passes, else report the first.
  for (const variant of fits) {
    const trial: ValidationContext = { ...ctx, issues: [] };
    const value = check(trial, node, variant, path);
    if (trial.issues.length === 0) return value;
  }
  if (fits.length > 1 && isMap(node)) {
    // The keys name one variant (e.g. {probability: 2}): report its real problem, not a shape mismatch.
    const keys = (node.items as Pair[]).map(keyName);
    const named = fits.filter((variant) => variant.kind === 'object' && keys.every((k) => k in variant.properties));
    if (named.length === 1) return check(ctx, node, named[0]!, path);
    report(ctx, 'wrong-type', node, path, `expected ${schema.expected}, got a map with the keys ${(node.items as Pair[]).map(keyName).join(', ')}.`);
    return undefined;
  }
  return check(ctx, node, fits[0]!, path);
}

/** An integer scalar YAML could not hold exactly, with its source text and a quoted form (hex for non-negative ones). */
function imprecise(node: unknown): { text: string; value: number; quoted: string } | undefined {
  if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value) || Number.isSafeInteger(node.value)) return undefined;
  const text = node.source ?? String(node.value);
  const exact = /^(0x[0-9a-f]+|[0-9]+)$/i.test(text) ? BigInt(text) : undefined;
  return { text, value: node.value, quoted: exact === undefined ? text : `0x${exact.toString(16)}` };
}

function shapeFits(node: unknown, schema: SchemaNode): boolean {
  if (isMap(node)) return schema.kind === 'object' || schema.kind === 'keyed' || schema.kind === 'map';
  if (isSeq(node)) return schema.kind === 'array';
  if (!isScalar(node)) return false;
  const value = node.value;
  if (typeof value === 'string') return schema.kind === 'string' || schema.kind === 'enum';
  if (typeof value === 'number') return schema.kind === 'integer' || schema.kind === 'number';
  if (typeof value === 'boolean') return schema.kind === 'boolean';
  return false;
}
