// The snapshot key: what must be identical for a saved machine to stand for a scenario's boot.
import { createHash } from 'node:crypto';
import type { Expectation, Scenario } from '../scenario/model.js';

/** The QEMU binary as it is on disk: another build (even of the same version) may not load the stream. */
export interface QemuIdentity {
  version: string;
  size: number;
  mtimeMs: number;
}

export interface KeyInputs {
  qemu: QemuIdentity;
  /** The QEMU arguments without the per-run parts (see machineArgs). */
  args: string[];
  /** Each guest file by path with the sha256 of its contents. */
  files: { path: string; sha256: string }[];
  /** The expectations up to and including the point, without their YAML positions (see snapshotPrefix). */
  prefix: unknown[];
}

/**
 * Options that name a run's own sockets and files, or how that one run starts: none changes the machine.
 * The chardevs' backends (a file, a FIFO, a socket) differ between runs; the devices using them do not.
 */
const PER_RUN_OPTIONS: ReadonlySet<string> = new Set(['-chardev', '-incoming', '-gdb', '-mon', '-plugin']);
const PER_RUN_FLAGS: ReadonlySet<string> = new Set(['-S']);

/** The arguments that make the machine: the command without per-run options (and their values). */
export function machineArgs(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (PER_RUN_FLAGS.has(arg)) continue;
    if (PER_RUN_OPTIONS.has(arg)) { i++; continue; }
    kept.push(arg);
  }
  return kept;
}

/** The scenario's expectations 0..point: what the saving run met, and every resumed run takes as met. */
export function prefixExpectations(scenario: Pick<Scenario, 'expectations' | 'snapshot'>): Expectation[] {
  return scenario.snapshot ? scenario.expectations.slice(0, scenario.snapshot.index + 1) : [];
}

/** The prefix as the key sees it: two files listing the same steps at other lines share a snapshot. */
export function snapshotPrefix(scenario: Pick<Scenario, 'expectations' | 'snapshot'>): unknown[] {
  return prefixExpectations(scenario).map(({ location: _location, ...rest }) => rest);
}

export function snapshotKey(inputs: KeyInputs): string {
  return createHash('sha256').update(stableJson(inputs)).digest('hex');
}

/** The key as reports show it. */
export function shortKey(key: string): string {
  return key.slice(0, 12);
}

/** JSON with object keys sorted, so the same inputs always hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
