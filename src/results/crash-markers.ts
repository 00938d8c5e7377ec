// Which console lines begin a crash, which end its dump, and which still belong to it.
//
// Unikraft (searched anywhere in the line, so firmware text glued before it does not hide it):
//   Unikraft crash - Helene (0.17.0)          (lib/ukdebug/crash.c screen; "Unikraft Crash" upstream)
//   Assertion failure: buf != NULL            (UK_ASSERT)
//   Unhandled Trap 14 (page fault), error code=0x2
// Unikraft, only at ukdebug level CRIT (so ordinary text cannot trigger them):
//   CRIT: [libkvmplat] <traps.c @ 113> Crashing              (UK_CRASH, e.g. 0.17's trap handler)
//   CRIT: [libkvmplat] <trace.c @  41> RIP: 0000000000134e60 CS: 0008    (0.17 trace.c register dump)
//   CRIT: RIP: 0008:0000000000101c8b   or   CRIT:  rip: 0008:0000000000101c8b    (crash.c registers)
// Not crashes: uknofault/ukvmem probes print CRIT lines such as
//   Cannot handle read page fault at 0x0000000000001000 (ec: 0x0)   and   Guard page 0x... hit!
// with no register dump.
//
// Linux (at the start of the message, after the printk timestamp; leading blanks allowed):
//   Kernel panic - not syncing: <reason>      BUG: KASAN: <what>        BUG: <what>     kernel BUG at <file>!
//   general protection fault, ...             Oops: general protection fault, ...  (both linux-gpf)
//   Oops: 0000 [#1] SMP    Oops - BUG: ...    Internal error: Oops: ...    Unable to handle kernel NULL pointer dereference
//   (the word Oops alone is prose, not a marker)
//   WARNING: CPU: 0 PID: 1 at <file>:<line> <function>
//
// A dump ends with `Unikraft halted`, `---[ end Kernel panic ... ]---`, `---[ end trace ... ]---`, or the
// ===== line that closes a KASAN report. Unikraft dump lines are CRIT or ERR lines or look like registers,
// stack words or call-trace entries; a Linux dump goes on until a line that is test output (uktest, KTAP),
// blank lines included (KASAN reports have them).
import type { ConsoleMessage } from './console-prefix.js';
import type { CrashKind } from './guest-crash.js';

export type CrashFamily = 'unikraft' | 'linux';

const UNIKRAFT_ANYWHERE: [RegExp, CrashKind][] = [
  [/\bUnikraft crash\b/i, 'unikraft-crash'],
  [/\bAssertion failure: /, 'unikraft-assert'],
  [/\bUnhandled Trap \d+/, 'unhandled-trap'],
];
// One scan finds a line that may hold one of the three: cheaper than three searches on every line.
const UNIKRAFT_HINT = /Unikraft|Assertion failure|Unhandled Trap/;
const UNIKRAFT_CRIT = /^(?:Crashing\b|RIP: [0-9a-f]{16} CS: [0-9a-f]{4}|RIP: [0-9a-f]{4}:[0-9a-f]{16}| ?rip: [0-9a-f]{4}:[0-9a-f]{16})/;
const LINUX: [RegExp, CrashKind][] = [
  [/^\s*Kernel panic - not syncing: /, 'linux-panic'],
  [/^\s*BUG: KASAN: /, 'kasan'],
  [/^\s*(?:Oops: )?general protection fault\b/, 'linux-gpf'],
  [/^\s*(?:BUG: |kernel BUG at )/, 'linux-bug'],
  [/^\s*(?:Oops(?::| -) |Internal error: Oops\b|Unable to handle kernel )/, 'linux-oops'],
  [/^\s*WARNING: CPU: \d+ PID: \d+ at /, 'linux-warning'],
];
// First letters of the Linux markers: most lines start otherwise and skip the regexes.
const LINUX_INITIALS = new Set([...'KBgOIUWk'].map((c) => c.charCodeAt(0)));

export interface CrashMarker {
  kind: CrashKind;
  family: CrashFamily;
}

export function crashMarker(line: string, message: ConsoleMessage): CrashMarker | undefined {
  if (UNIKRAFT_HINT.test(line)) {
    for (const [regex, kind] of UNIKRAFT_ANYWHERE) if (regex.test(line)) return { kind, family: 'unikraft' };
  }
  if (message.level === 'CRIT' && UNIKRAFT_CRIT.test(message.text)) return { kind: 'unikraft-crash', family: 'unikraft' };
  if (LINUX_INITIALS.has(firstNonBlank(message.text))) {
    for (const [regex, kind] of LINUX) if (regex.test(message.text)) return { kind, family: 'linux' };
  }
  return undefined;
}

function firstNonBlank(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
  return text.charCodeAt(i);
}

const UNIKRAFT_END = /\bUnikraft halted\b/;
const LINUX_END = /^\s*(?:---\[ end |={20,}\s*$)/;

/** The line closes the dump (and is its last line). */
export function endsDump(family: CrashFamily, line: string, message: ConsoleMessage): boolean {
  return family === 'unikraft' ? UNIKRAFT_END.test(line) : LINUX_END.test(message.text);
}

// Registers (`RAX: ...`, ` rip: 0008:...`), `Registers:`, `Stack:`, `Call Trace:`, `Thread "main"@0x...`,
// trace entries (` [<0000000000101c8b>] f+0xb`, ` [0x0000000000101c8b]`), 0.17's `base is 0x... caller is`,
// hexdump lines (`000000000013fe90: 00 00 ...`, ` 000000000010df00  0000000000000000`).
const UNIKRAFT_DUMP = /^\s*(?:[A-Za-z][A-Za-z0-9_]{1,7}: ?[0-9a-f]{4}|Registers:|Stack:|Call Trace:|Thread "|\[<?(?:0x)?[0-9a-f]+>?\]|base is 0x|[0-9a-f]{8,16}:? |Bad (?:stack address|frame pointer))/;
// uktest case and assertion lines, KTAP version, plan, result and diagnostic lines.
const TEST_OUTPUT = /(?:^|[^\w-])test: ?\w+->\w|^\s*(?:K?TAP version \d|1\.\.\d|(?:not )?ok \d|# )|^\t.* (?:PASSED|FAILED) ?\]? *$/;

/** The line continues the dump of a crash of this family. */
export function continuesDump(family: CrashFamily, line: string, message: ConsoleMessage): boolean {
  if (family === 'unikraft') {
    return message.level === 'CRIT' || message.level === 'ERR' || UNIKRAFT_DUMP.test(message.text)
      || crashMarker(line, message)?.family === 'unikraft';
  }
  return !TEST_OUTPUT.test(line) && !TEST_OUTPUT.test(message.text);
}
