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
  | (ExpectationBase & { kind: 'never'; channel: Channel; pattern: Pattern });

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
}

export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_MACHINE: Omit<Machine, 'extraArgs'> = {
  arch: 'x86_64', type: 'pc', cpus: 1, memory: '128M', accel: 'auto', debugExit: { iobase: 0xf4, iosize: 4 },
};
