// A crash the guest printed: what kind, during which case, and its dump.

/**
 * Unikraft: `unikraft-crash` (crash screen, UK_CRASH, a trap register dump), `unikraft-assert` (UK_ASSERT),
 * `unhandled-trap` (x86 `Unhandled Trap N (...)`). Linux: `linux-panic`, `linux-bug` (`BUG:`, `kernel BUG at`),
 * `linux-oops`, `linux-gpf` (general protection fault), `linux-warning` (`WARNING: CPU:`), `kasan`.
 */
export const CRASH_KINDS = [
  'unikraft-crash',
  'unikraft-assert',
  'unhandled-trap',
  'linux-panic',
  'linux-bug',
  'linux-oops',
  'linux-gpf',
  'linux-warning',
  'kasan',
] as const;

export type CrashKind = (typeof CRASH_KINDS)[number];

export interface GuestCrash {
  kind: CrashKind;
  /** `suite->case` of the case running when the crash began, if one was. */
  case?: string;
  /** The marker line and the dump lines after it, as printed, at most the parser's `maxCrashLines`. */
  lines: string[];
}

/** Crashes after which the guest cannot go on: the running case is over. A Linux oops or warning is not. */
export function isFatal(kind: CrashKind): boolean {
  return kind !== 'linux-bug' && kind !== 'linux-oops' && kind !== 'linux-gpf' && kind !== 'linux-warning' && kind !== 'kasan';
}
