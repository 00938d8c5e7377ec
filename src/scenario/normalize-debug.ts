// Validated breakpoint, watch and fault values -> the scenario model, with the checks the schema cannot make.
import type { Node } from 'yaml';
import type { BigValue, Expectation, Fault, FaultHits, HitCount, MemoryCheck, RegisterCheck } from './model.js';
import { closest } from './did-you-mean.js';
import { joinPath } from './issues.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import { childNode } from './yaml-nodes.js';

type Plain = Record<string, unknown>;
type Base = Pick<Expectation, 'index' | 'location' | 'after' | 'id'>;

/** `registers`: the names the scenario's architecture has (its profile's). */
export function normalizeBreakpoint(ctx: ValidationContext, node: Node, raw: Plain, path: string, base: Base, registers: readonly string[]): Expectation | undefined {
  const count = hitCount(ctx, childNode(node, 'count'), raw.count, joinPath(path, 'count'));
  const registerValues = registerChecks(ctx, childNode(node, 'registers'), (raw.registers ?? {}) as Plain, joinPath(path, 'registers'), registers);
  const memory = ((raw.memory ?? []) as Plain[]).map((m): MemoryCheck => ({ at: locationText(m.at), size: memorySize(m.size), equals: bigValue(m.equals) }));
  const badSize = ((raw.memory ?? []) as Plain[]).findIndex((m) => m.size !== undefined && ![1, 2, 4, 8].includes(m.size as number));
  if (badSize !== -1) {
    const item = (childNode(node, 'memory') as { items?: Node[] } | undefined)?.items?.[badSize];
    const size = ((raw.memory as Plain[])[badSize]!).size;
    report(ctx, 'invalid-value', childNode(item, 'size'), joinPath(joinPath(joinPath(path, 'memory'), badSize), 'size'), `expected 1, 2, 4 or 8 bytes, got ${String(size)}.`);
    return undefined;
  }
  if (!count || !registerValues) return undefined;
  return { ...base, kind: 'breakpoint', target: locationText(raw.breakpoint), count, registers: registerValues, memory, ...(typeof raw.vcpu === 'number' ? { vcpu: raw.vcpu } : {}) };
}

/** A breakpoint's `vcpu` must name a vCPU the machine has; reports each that does not. Returns whether all do. */
export function checkVcpus(ctx: ValidationContext, seqNode: Node | undefined, expectations: Expectation[], cpus: number): boolean {
  const items = (seqNode as { items?: Node[] } | undefined)?.items ?? [];
  let ok = true;
  for (const e of expectations) {
    if (e.kind !== 'breakpoint' || e.vcpu === undefined || e.vcpu < cpus) continue;
    ok = false;
    report(ctx, 'invalid-value', childNode(items[e.index], 'vcpu'), joinPath(joinPath('expect', e.index), 'vcpu'),
      `vCPU ${e.vcpu} does not exist: the machine has ${cpus} vCPU${cpus === 1 ? '' : 's'} (0${cpus === 1 ? '' : `-${cpus - 1}`}).`,
      'Number vCPUs from 0, or raise machine.cpus.');
  }
  return ok;
}

/**
 * Names need a symbol file (guest.symbols, or the kernel's own ELF); a firmware-only guest has none
 * unless the scenario names one, so each name is reported at its line. Addresses need no symbols.
 * Returns whether every target can be resolved.
 */
export function checkSymbolsNamed(ctx: ValidationContext, expectNode: Node | undefined, faultsNode: Node | undefined, expectations: Expectation[], faults: Fault[]): boolean {
  const expectItems = (expectNode as { items?: Node[] } | undefined)?.items ?? [];
  const faultItems = (faultsNode as { items?: Node[] } | undefined)?.items ?? [];
  const named: { target: string; node: Node | undefined; path: string }[] = [];
  for (const e of expectations) {
    const item = expectItems[e.index];
    const path = joinPath('expect', e.index);
    if (e.kind === 'watch') named.push({ target: e.target, node: childNode(item, 'watch'), path: joinPath(path, 'watch') });
    if (e.kind !== 'breakpoint') continue;
    named.push({ target: e.target, node: childNode(item, 'breakpoint'), path: joinPath(path, 'breakpoint') });
    const memoryItems = (childNode(item, 'memory') as { items?: Node[] } | undefined)?.items ?? [];
    e.memory.forEach((m, i) => named.push({ target: m.at, node: childNode(memoryItems[i], 'at'), path: joinPath(joinPath(joinPath(path, 'memory'), i), 'at') }));
  }
  for (const f of faults) named.push({ target: f.function, node: childNode(faultItems[f.index], 'function'), path: joinPath(joinPath('faults', f.index), 'function') });
  const names = named.filter((n) => !ADDRESS_LITERAL.test(n.target));
  for (const n of names) {
    report(ctx, 'invalid-value', n.node, n.path, `"${n.target}" is a symbol name, and this guest has no symbols: it names no kernel and no guest.symbols.`,
      'Add guest.symbols (an ELF or System.map of the firmware), or give an address such as "0xfff00000".');
  }
  return names.length === 0;
}

const ADDRESS_LITERAL = /^0x[0-9a-f]+$/i;

export function normalizeWatch(ctx: ValidationContext, node: Node, raw: Plain, path: string, base: Base): Expectation | undefined {
  const count = hitCount(ctx, childNode(node, 'count'), raw.count, joinPath(path, 'count'));
  if (!count) return undefined;
  return {
    ...base, kind: 'watch', target: locationText(raw.watch), count,
    access: (raw.access as 'write' | 'read' | 'access' | undefined) ?? 'write',
    ...(typeof raw.size === 'number' ? { size: raw.size } : {}),
  };
}

export function normalizeFaults(ctx: ValidationContext, seqNode: Node | undefined, raws: Plain[]): Fault[] {
  const items = (seqNode as { items?: Node[] } | undefined)?.items ?? [];
  return raws.map((raw, index) => ({
    index,
    ...(typeof raw.id === 'string' ? { id: raw.id } : {}),
    function: raw.function as string,
    returns: bigValue(raw.return),
    mode: (raw.mode as Fault['mode'] | undefined) ?? 'skip',
    hits: faultHits(raw.hits),
    location: { file: ctx.file, ...positionOf(ctx, items[index]) },
  }));
}

function faultHits(raw: unknown): FaultHits {
  if (raw === undefined || raw === 'all') return { kind: 'all' };
  const map = raw as Plain;
  if (typeof map.nth === 'number') return { kind: 'nth', n: map.nth };
  if (typeof map.first === 'number') return { kind: 'first', n: map.first };
  return { kind: 'probability', probability: map.probability as number, seed: (map.seed as number | undefined) ?? 0 };
}

/** `count: N` is exact; `{min, max}` a range; no count means at least once. */
export function hitCount(ctx: ValidationContext, node: Node | undefined, raw: unknown, path: string): HitCount | undefined {
  if (raw === undefined) return { min: 1 };
  if (typeof raw === 'number') return { min: raw, max: raw };
  const { min = 0, max } = raw as { min?: number; max?: number };
  if (max !== undefined && max < min) {
    report(ctx, 'invalid-value', node, path, `min (${min}) is above max (${max}).`);
    return undefined;
  }
  if ((raw as Plain).min === undefined && max === undefined) {
    report(ctx, 'invalid-value', node, path, 'expected min, max or both.');
    return undefined;
  }
  if (max === undefined && min === 0) {
    report(ctx, 'invalid-value', node, path, '{min: 0} with no max always passes.', 'Write count: 0 for "never hit", or give a max.');
    return undefined;
  }
  return max === undefined ? { min } : { min, max };
}

function registerChecks(ctx: ValidationContext, node: Node | undefined, raw: Plain, path: string, known: readonly string[]): RegisterCheck[] | undefined {
  let ok = true;
  for (const name of Object.keys(raw)) {
    if (known.includes(name)) continue;
    ok = false;
    const suggestion = closest(name, known);
    report(ctx, 'unknown-key', node, joinPath(path, name), `unknown register "${name}".`, suggestion ? `Did you mean "${suggestion}"?` : `Known registers: ${known.join(', ')}.`);
  }
  return ok ? Object.entries(raw).map(([register, value]) => ({ register, equals: bigValue(value) })) : undefined;
}

function memorySize(raw: unknown): MemoryCheck['size'] {
  return (typeof raw === 'number' ? raw : 8) as MemoryCheck['size'];
}

function locationText(raw: unknown): string {
  return typeof raw === 'number' ? `0x${raw.toString(16)}` : (raw as string);
}

function bigValue(raw: unknown): BigValue {
  return typeof raw === 'number' ? String(raw) : (raw as string);
}
