// The validated scenario: what the argv builder, the runner and the Vitest adapter consume.
import type { StageName } from './stages.js';

export type Channel = 'console' | 'debugcon' | 'firmware';
export type MachineType = 'pc' | 'q35' | 'microvm';
export type Accel = 'auto' | 'tcg' | 'kvm';

export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** A text matcher: substring or regular expression, applied to one line. */
export type Pattern = { kind: 'text'; text: string } | { kind: 'regex'; source: string; flags: string };

interface ExpectationBase {
  /** Position in the `expect` list; the stable identity of the expectation. */
  index: number;
  id?: string;
  /** Index of the expectation that must be met first. */
  after?: number;
  location: SourceLocation;
}

export type Expectation =
  | (ExpectationBase & { kind: 'text'; channel: Channel; pattern: Pattern })
  | (ExpectationBase & { kind: 'code'; code: number } )
  | (ExpectationBase & { kind: 'stage'; stage: StageName })
  | (ExpectationBase & { kind: 'never'; channel: Channel; pattern: Pattern })
  | (ExpectationBase & { kind: 'breakpoint'; target: string; count: HitCount; registers: RegisterCheck[]; memory: MemoryCheck[]; vcpu?: number })
  | (ExpectationBase & { kind: 'watch'; target: string; access: 'write' | 'read' | 'access'; size?: number; count: HitCount });

/** How many hits pass: `{min: 1}` by default; an exact count N is `{min: N, max: N}`. */
export interface HitCount {
  min: number;
  max?: number;
}

/**
 * Big values (addresses, register contents) stay strings as written ("0x...", "-5"): scenarios travel
 * as JSON into Vitest workers, and JSON has no bigint. `BigInt(value)` reads them at run time.
 */
export type BigValue = string;

export interface RegisterCheck {
  register: string;
  equals: BigValue;
}

export interface MemoryCheck {
  at: string;
  size: 1 | 2 | 4 | 8;
  equals: BigValue;
}

export type FaultHits = { kind: 'all' } | { kind: 'nth'; n: number } | { kind: 'first'; n: number } | { kind: 'probability'; probability: number; seed: number };

export interface Fault {
  index: number;
  function: string;
  returns: BigValue;
  mode: 'skip' | 'override';
  hits: FaultHits;
  location: SourceLocation;
}

export type ExitExpectation =
  | { kind: 'poweroff'; location: SourceLocation }
  | { kind: 'any'; location: SourceLocation }
  | { kind: 'debug-exit'; value: number; location: SourceLocation }
  | { kind: 'status'; status: number; location: SourceLocation };

export interface Machine {
  arch: 'x86_64';
  type: MachineType;
  cpus: number;
  /** QEMU -m value, e.g. "128M". */
  memory: string;
  accel: Accel;
  debugExit: { iobase: number; iosize: number } | null;
  extraArgs: string[];
}

export interface Guest {
  /** Absolute paths, resolved against the scenario file's folder. */
  kernel: string;
  initrd?: string;
  cmdline?: string;
  symbols?: string;
}

export interface Scenario {
  name: string;
  location: SourceLocation;
  guest: Guest;
  machine: Machine;
  /** Seconds. */
  timeout: number;
  exit?: ExitExpectation;
  expectations: Expectation[];
  faults: Fault[];
}

export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_MACHINE: Omit<Machine, 'extraArgs'> = {
  arch: 'x86_64', type: 'pc', cpus: 1, memory: '128M', accel: 'auto', debugExit: { iobase: 0xf4, iosize: 4 },
};
