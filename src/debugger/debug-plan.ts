// Scenario breakpoints, watches and faults -> addresses to arm, resolved against the guest's symbols.
import type { Expectation, Fault, SourceLocation } from '../scenario/model.js';
import type { LoadRange, ResolvedSymbol, SymbolTable } from '../symbols/symbol-table.js';
import { SymbolError } from '../symbols/symbol-table.js';
import { parseSymbolGlob } from '../symbols/symbol-glob.js';

export type BreakpointExpectation = Extract<Expectation, { kind: 'breakpoint' }>;
export type WatchExpectation = Extract<Expectation, { kind: 'watch' }>;

export interface CodePoint {
  address: bigint;
  /** How the address is shown: the symbol name, or name+0xoff. */
  where: string;
  expectations: { expectation: BreakpointExpectation; memory: { address: bigint; size: number; equals: bigint; at: string }[] }[];
  faults: Fault[];
}

export interface WatchPoint {
  address: bigint;
  size: number;
  where: string;
  expectation: WatchExpectation;
}

export interface DebugPlan {
  code: Map<bigint, CodePoint>;
  watches: WatchPoint[];
  /**
   * The guest image's writable segments: where an emulated instruction may write memory. A write the
   * CPU would fault on (read-only data) goes through the stub all the same, so elsewhere it is stepped.
   */
  writable: readonly LoadRange[];
  /**
   * A snapshot's saving run: the expectation whose deciding hit is the snapshot point. The session leaves the
   * guest stopped there, for the machine to be saved at that pc.
   */
  holdAt?: number;
  /**
   * A run resumed from a snapshot taken at a breakpoint: the guest starts stopped at `address` on `vcpu`, and
   * that hit was the saving run's (see debug-session.ts).
   */
  resumesAt?: { vcpu: number; address: bigint };
}

/** A target that does not resolve, with the YAML position of what named it. */
export class PlanError extends Error {
  constructor(readonly location: SourceLocation, readonly path: string, cause: SymbolError) {
    super(`${location.file}:${location.line}:${location.col}: ${path}: ${cause.message}`, { cause });
    this.name = 'PlanError';
  }
}

/** Resolves every target; throws PlanError for the first one that names nothing usable. */
export function buildDebugPlan(scenario: { expectations: Expectation[]; faults: Fault[] }, symbols: SymbolTable): DebugPlan {
  const code = new Map<bigint, CodePoint>();
  const pointAt = (address: bigint, where: string): CodePoint => {
    let point = code.get(address);
    if (!point) code.set(address, (point = { address, where, expectations: [], faults: [] }));
    return point;
  };
  const watches: WatchPoint[] = [];
  for (const e of scenario.expectations) {
    if (e.kind === 'breakpoint') {
      const path = `expect[${e.index}].breakpoint`;
      const memory = e.memory.map((m, i) => {
        const [target] = resolve(symbols, m.at, e.location, `expect[${e.index}].memory[${i}].at`);
        return { address: target!.address, size: m.size, equals: BigInt(m.equals), at: m.at };
      });
      for (const target of codeTargets(symbols, e.target, e.location, path)) {
        pointAt(target.address, target.name).expectations.push({ expectation: e, memory });
      }
    } else if (e.kind === 'watch') {
      for (const target of resolve(symbols, e.target, e.location, `expect[${e.index}].watch`)) {
        const symbolSize = target.symbol ? Number(target.symbol.size) : 0;
        watches.push({ address: target.address, size: e.size ?? (symbolSize > 0 ? Math.min(symbolSize, 8) : 8), where: target.name, expectation: e });
      }
    }
  }
  for (const fault of scenario.faults) {
    const path = `faults[${fault.index}].function`;
    for (const target of codeTargets(symbols, fault.function, fault.location, path)) {
      pointAt(target.address, target.name).faults.push(fault);
    }
  }
  return { code, watches, writable: symbols.writableRanges };
}

function resolve(symbols: SymbolTable, spec: string, location: SourceLocation, path: string) {
  const resolved = symbols.resolve(spec);
  if (resolved instanceof SymbolError) throw new PlanError(location, path, resolved);
  return resolved;
}

/**
 * Where code can stop: a name must be a function; a glob keeps the functions it matches (data symbols
 * sharing a prefix are common) and fails only when it matches no function at all.
 */
function codeTargets(symbols: SymbolTable, spec: string, location: SourceLocation, path: string): ResolvedSymbol[] {
  const targets = resolve(symbols, spec, location, path);
  const problems = targets.map((target) => symbols.requireFunction(target));
  const code = targets.filter((_, i) => problems[i] === undefined);
  if (code.length === 0 || (!parseSymbolGlob(spec).isGlob && code.length < targets.length)) throw new PlanError(location, path, problems.find(Boolean)!);
  return code;
}

