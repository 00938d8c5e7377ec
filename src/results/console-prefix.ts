// Console line prefixes that stand before the message: kernel timestamps and Unikraft's ukdebug header.
//
// Accepted, each part optional, in this order:
//   <6>                                      syslog level (Linux, some consoles)
//   [    0.104210] or [    1.5][    T1]      printk / ukdebug timestamp, Linux caller id
//   Info:  Warn:  ERR:  CRIT:  dbg:          ukdebug level, then (only after a level):
//   <thread>  {r:0x..,f:0x..}  [libname]  <file.c @  42>
// Examples:
//   [    0.104210] Info: [libuktest] <test.c @   80> uktest:cases:      5 total  ->  level Info
//   CRIT: [libkvmplat] <traps.c @ 113> Crashing                                ->  level CRIT
//   [    1.532011] Kernel panic - not syncing: VFS: Unable to mount root fs     ->  no level

export type UkdebugLevel = 'Info' | 'Warn' | 'ERR' | 'CRIT' | 'dbg';

export interface ConsoleMessage {
  /** The ukdebug level, when the line carries a ukdebug header. */
  level: UkdebugLevel | undefined;
  /** The line after the prefix. A TAB that begins the message (uktest assertions) is kept. */
  text: string;
}

const LEVEL_INITIALS = new Set(['I', 'W', 'E', 'C', 'd'].map((c) => c.charCodeAt(0)));
const PREFIX = /^(?:<\d>)?(?:\[ *\d+\.\d+\](?:\[ *[A-Z]?\d+\])? ?)?(?:(Info|Warn|ERR|CRIT|dbg): {1,2}(?:<[^>]*> )?(?:\{r:[^}]*\} )?(?:\[[^\]]*\] )?(?:<[^>]* @ *\d+> )?)?/;

export function consoleMessage(line: string): ConsoleMessage {
  // Most lines carry no prefix at all: skip the regex for them.
  const first = line.charCodeAt(0);
  if (first !== 0x5b /* [ */ && first !== 0x3c /* < */ && !LEVEL_INITIALS.has(first)) return { level: undefined, text: line };
  const match = PREFIX.exec(line)!;
  return { level: match[1] as UkdebugLevel | undefined, text: line.slice(match[0].length) };
}

const PRINTK_PREFIX = /^(?:<\d>)?(?:\[ *\d+\.\d+\](?:\[ *[A-Z]?\d+\])? ?)?/;

/** The line without Linux's printk prefix (`<6>`, `[    3.073217] `, `[    T1] `), or undefined when it has none. */
export function withoutPrintkPrefix(line: string): string | undefined {
  const first = line.charCodeAt(0);
  if (first !== 0x5b /* [ */ && first !== 0x3c /* < */) return undefined;
  const length = PRINTK_PREFIX.exec(line)![0].length;
  return length === 0 ? undefined : line.slice(length);
}
