// The validated scenario: what the argv builder, the runner and the Vitest adapter consume.
import type { CodeMatch, StageName } from './stages.js';
import type { CaseStatus } from '../results/guest-case.js';
import type { LineFormat } from '../results/line-format.js';
import type { CrashKind } from '../results/guest-crash.js';
import type { Arch } from '../arch/profiles.js';

/** Text channels: the serial console, the debug console, the firmware port, a virtio console (each architecture attaches them its own way: src/arch/). */
export type Channel = 'console' | 'debugcon' | 'firmware' | 'virtio';
export const TEXT_CHANNELS: readonly Channel[] = ['console', 'debugcon', 'firmware', 'virtio'];
/** Every output stream of a run: the text channels, and the stage codes, whose events are codes, not lines. */
export type Stream = Channel | 'codes';
export const STREAMS: readonly Stream[] = [...TEXT_CHANNELS, 'codes'];
/** A QEMU machine type of the scenario's architecture (its profile lists them). */
export type MachineType = string;
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
  /** Seconds it may take once it can be met: from the run's start, or from when `after` was met. */
  timeout?: number;
  location: SourceLocation;
}

export type Expectation =
  | (ExpectationBase & { kind: 'text'; channel: Channel; pattern: Pattern })
  | (ExpectationBase & { kind: 'code'; code: number } )
  | (ExpectationBase & { kind: 'stage'; stage: StageName })
  /** `screen: true`: the pattern must never match a row of the channel's screen (see `Scenario.screens`). */
  | (ExpectationBase & { kind: 'never'; channel: Channel; pattern: Pattern; screen?: true })
  /** A stage code that must never be written (an error code, a stage that must not be reached). */
  | (ExpectationBase & { kind: 'never'; channel: 'codes'; code: CodeMatch })
  | (ExpectationBase & { kind: 'breakpoint'; target: string; count: HitCount; registers: RegisterCheck[]; memory: MemoryCheck[]; vcpu?: number })
  | (ExpectationBase & { kind: 'watch'; target: string; access: 'write' | 'read' | 'access'; size?: number; count: HitCount })
  /** Input for the guest, sent the moment the expectation listed before it is met (an interactive step). */
  | (ExpectationBase & { kind: 'send'; channel: Extract<Channel, 'console'>; text: string })
  /** A row of a channel drawn as a screen (see `Scenario.screens`) matching the pattern, rows matched one by one. */
  | (ExpectationBase & { kind: 'screen'; channel: Channel; pattern: Pattern })
  /** The guest's own test cases, read from any text channel. */
  | (ExpectationBase & { kind: 'results'; format: string; channel: Channel; select: CaseSelector; status: CaseStatus; count: HitCount });

/**
 * Which guest test cases a `uktest`/`ktap` expectation covers. Patterns are globs over names where `*`
 * is any run of characters and `?` one character; `case` patterns match `suite->case`.
 */
export type CaseSelector = { kind: 'all' } | { kind: 'suite'; pattern: string } | { kind: 'case'; pattern: string };

/**
 * What the scenario says about guest crashes: `none` (the default) fails the run at the first crash,
 * `expected` needs one (optionally of a kind, `reset` being QEMU seeing the guest reset),
 * `allowed` only records them.
 */
export type CrashExpectation =
  | { kind: 'none'; location: SourceLocation }
  | { kind: 'allowed'; location: SourceLocation }
  | { kind: 'expected'; crash: CrashKind | 'reset' | 'any'; location: SourceLocation };

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
  /** For timing: the point is the fault's first injection. */
  id?: string;
  function: string;
  returns: BigValue;
  mode: 'skip' | 'override';
  hits: FaultHits;
  location: SourceLocation;
}

export type ExitExpectation =
  | { kind: 'poweroff'; location: SourceLocation }
  | { kind: 'reset'; location: SourceLocation }
  | { kind: 'any'; location: SourceLocation }
  | { kind: 'debug-exit'; value: number; location: SourceLocation }
  /** Semihosting's SYS_EXIT/SYS_EXIT_EXTENDED with this code: QEMU exits with its low 8 bits. */
  | { kind: 'semihosting'; code: number; location: SourceLocation }
  | { kind: 'status'; status: number; location: SourceLocation };

/**
 * What else ends a run as the guest's own end, besides QEMU exiting: a line on a channel, a stage
 * code, a quiet time with no output on any channel (a guest halted for good), or a QMP event.
 */
export type EndCondition =
  | { kind: 'line'; channel: Channel; pattern: Pattern; location: SourceLocation }
  | { kind: 'screen'; channel: Channel; pattern: Pattern; location: SourceLocation }
  | { kind: 'code'; code: CodeMatch; location: SourceLocation }
  | { kind: 'quiet'; seconds: number; location: SourceLocation }
  | { kind: 'qmp'; event: string; location: SourceLocation };

/**
 * A time the guest prints in its own words, e.g. `tsc=1234567`: `regex` has one named group, `s`, `ms`,
 * `us` or `ns` for a time in that unit, or `ticks` for a count of a clock running at `hz`.
 */
export interface GuestClock {
  regex: string;
  unit: 's' | 'ms' | 'us' | 'ns' | 'ticks';
  hz?: number;
}

/** A point of a run that timing assertions measure from or to. */
export type TimingPoint =
  | { kind: 'start' }
  | { kind: 'exit' }
  | { kind: 'stage'; stage: StageName }
  | { kind: 'expectation'; index: number; id: string }
  | { kind: 'fault'; index: number; id: string };

/**
 * A limit on the time between two points (`from`/`to`), or on a stage's duration: from its first
 * debug-port code to the first code of a later stage (or the end of the run). Limits in ms, or as a
 * share of the whole run (start to end) for `maxPercent`.
 */
export interface TimingAssertion {
  index: number;
  span: { kind: 'between'; from: TimingPoint; to: TimingPoint } | { kind: 'stage'; stage: StageName };
  minMs?: number;
  maxMs?: number;
  maxPercent?: number;
  /** At most this many percent slower than the figure recorded in the scenario file's baseline. */
  baselinePercent?: number;
  /** With `repeat`, the figure over the runs that is held to the limits. */
  statistic: 'median' | 'p90' | 'max';
  /** `guest`: the times the guest printed itself (`[    1.234567]` line prefixes), free of host jitter. */
  clock: 'host' | 'guest';
  /** A guest clock of the scenario's own instead of the prefix: a time (or a tick count) read from each line. */
  guestClock?: GuestClock;
  location: SourceLocation;
}

export interface Machine {
  arch: Arch;
  type: MachineType;
  cpus: number;
  /** QEMU -m value, e.g. "128M". */
  memory: string;
  accel: Accel;
  /** QEMU -cpu value; undefined: the architecture's default for the accelerator the run resolves. */
  cpu?: string;
  /** The isa-debug-exit device, on architectures whose status exit is one; null elsewhere or when removed. */
  debugExit: { iobase: number; iosize: number } | null;
  extraArgs: string[];
}

/**
 * Firmware the machine starts: a ROM image (QEMU's -bios), or flash chips, code (read-only) and an optional
 * variable store the firmware may write to a copy of (snapshot=on), so that a run never changes the files it boots.
 */
export type Firmware = { kind: 'bios'; path: string } | { kind: 'pflash'; code: string; vars?: string };

export interface Guest {
  /** Absolute paths, resolved against the scenario file's folder. A guest has a kernel, a firmware or both. */
  kernel?: string;
  firmware?: Firmware;
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
  end: EndCondition[];
  crash: CrashExpectation;
  timing: TimingAssertion[];
  /** Where `baseline:` limits find their figures: `<scenario file without .yaml>.baseline.json`, absolute. */
  baselineFile: string;
  /** Boots of the scenario (default 1); each must meet every expectation; timing is judged on a statistic. */
  repeat: number;
  /** Bytes each stream may deliver; past its limit the run ends (a flood), whatever it still prints. */
  outputLimits: Record<Stream, number>;
  /** The guest's own result-line formats, by name, for `results` expectations. */
  formats: LineFormat[];
  /**
   * Channels drawn as a terminal screen, with its size: their bytes are rendered and matched row by row
   * (`screen` expectations, `never` and `end` on screens), never as lines between newlines.
   */
  screens: Partial<Record<Channel, ScreenSize>>;
  expectations: Expectation[];
  faults: Fault[];
  /** Where the boot is saved, and resumed from by every scenario with the same machine, guest and prefix. */
  snapshot?: SnapshotPoint;
  /** `coverage:`: which functions and lines of the guest ran (the TCG plugin's block counts), and checks on them. */
  coverage?: CoverageSpec;
  /** `profile:`: guest instructions per function, ranked, over the run and its stages or spans. */
  profile?: ProfileSpec;
  /** `debugger: { stub: guest }`: breakpoints and faults through the guest's own stub; absent: QEMU's. */
  guestStub?: GuestStubChannel;
}

/** The guest's own GDB stub and the port it listens on (the machine's second serial port). */
export interface GuestStubChannel {
  channel: 'serial1';
  location: SourceLocation;
}

export interface CoverageSpec {
  location: SourceLocation;
  /** Each a test; none for a bare `coverage: true`, which still reports and writes the tracefile. */
  checks: CoverageCheck[];
}

export type CoverageCheck =
  | { kind: 'functions'; glob: string; minPercent: number; location: SourceLocation }
  | { kind: 'never'; globs: string[]; location: SourceLocation };

export interface ProfileSpec {
  location: SourceLocation;
  /** How many functions each profile lists. */
  top: number;
  /** A profile per boot stage too. */
  stages: boolean;
  between: { from: TimingPoint; to: TimingPoint; location: SourceLocation }[];
}

/**
 * `snapshot: { at: ID }`: expectations 0..index (with their sends) are the snapshot's prefix: met by the
 * run that saved the machine there; a resumed run starts right after them.
 */
export interface SnapshotPoint {
  at: string;
  index: number;
  location: SourceLocation;
}

/** A terminal screen: rows and columns of characters. */
export interface ScreenSize {
  rows: number;
  cols: number;
}

/** A PC's text mode, which full-screen UIs on a serial console (memtest86+, firmware setup) draw for. */
export const DEFAULT_SCREEN_SIZE: ScreenSize = { rows: 25, cols: 80 };

export const DEFAULT_TIMEOUT_S = 30;
/** A kernel's boot log is well under 1 MiB; 64 MiB on one channel is a flood, not a log. */
export const DEFAULT_OUTPUT_LIMIT = 64 * 1024 * 1024;
/** Defaults of every architecture; the machine type, memory and exit device come from the architecture's profile. */
export const DEFAULT_MACHINE: Pick<Machine, 'arch' | 'cpus' | 'accel'> = { arch: 'x86_64', cpus: 1, accel: 'auto' };
