// What a QEMU exit means, as the guest's last result: each end-of-run mechanism reads the exit status differently.
import type { StatusExit } from '../arch/profile.js';

export interface QemuEnd {
  /** Process exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  /** Reason of the last QMP SHUTDOWN event, e.g. guest-shutdown, guest-reset, host-signal. */
  shutdownReason?: string;
  /** We stopped it (verdict known, timeout, abort): its status says nothing about the guest. */
  killedByRunner: boolean;
  /** QEMU's own error lines on stderr (`qemu-system-<arch>: ...`). */
  qemuErrors: string[];
}

export type ExitMeaning =
  /** `shutdownReason`: QEMU's SHUTDOWN event reached the runner before its exit (a power-off request just before). */
  | { kind: 'debug-exit'; value: number; status: number; shutdownReason?: string }
  | { kind: 'poweroff' }
  | { kind: 'reset' }
  | { kind: 'qemu-error'; message: string; status: number | null }
  | { kind: 'killed-by-runner' }
  | { kind: 'signal'; signal: string }
  /** A status no mechanism explains, with the SHUTDOWN reason QEMU gave before it, if any. */
  | { kind: 'status'; status: number; shutdownReason?: string }
  /** A scenario `end` condition was met (a final line, a quiet time, a QMP event); QEMU was then stopped. */
  | { kind: 'end-condition'; what: string };

/**
 * `statusExit` is how the architecture's guests exit with a status of their own (its profile's statusExit):
 * semihosting's SYS_EXIT and RISC-V's test finisher make QEMU exit with the guest's status itself, so any
 * status that is not QEMU's own failure is the guest's; isa-debug-exit makes QEMU exit with (value << 1) | 1
 * at once, from the vCPU; a power-off exits 0
 * after SHUTDOWN(guest-shutdown) (or with no event, as RISC-V's finisher does); a reset under -no-reboot exits 0
 * after SHUTDOWN(guest-reset).
 * QEMU's own failures exit 1 too, so its stderr decides between "QEMU error" and "debug-exit value 0".
 * An odd status with no error is a debug exit even after a SHUTDOWN event: a guest that requests a power-off and
 * then writes the exit device (Unikraft's halt) gets the event from QEMU's main loop while its vCPU runs
 * on into the device, and the event may reach the runner before the process ends or not.
 */
export function interpretExit(end: QemuEnd, statusExit: StatusExit['kind']): ExitMeaning {
  if (end.killedByRunner) return { kind: 'killed-by-runner' };
  if (end.qemuErrors.length > 0) return { kind: 'qemu-error', message: end.qemuErrors.join('; '), status: end.exitCode };
  if (end.exitCode === null) return { kind: 'signal', signal: end.signal ?? 'unknown signal' };
  const after = end.shutdownReason === undefined ? {} : { shutdownReason: end.shutdownReason };
  if (statusExit === 'guest-status' && end.exitCode !== 0) return { kind: 'status', status: end.exitCode, ...after };
  if (statusExit === 'isa-debug-exit' && end.exitCode % 2 === 1) return { kind: 'debug-exit', value: (end.exitCode - 1) / 2, status: end.exitCode, ...after };
  if (end.shutdownReason === 'guest-reset') return { kind: 'reset' };
  if (end.exitCode === 0 && (end.shutdownReason === 'guest-shutdown' || end.shutdownReason === undefined)) return { kind: 'poweroff' };
  return { kind: 'status', status: end.exitCode, ...after };
}

/** QEMU prefixes its own messages with its program name; its warnings (`-cpu` features TCG lacks) are not failures. */
export function qemuErrorLines(stderr: string, binary: string): string[] {
  const name = binary.split('/').pop()!;
  return stderr.split('\n')
    .filter((l) => l.startsWith(`${name}:`))
    .map((l) => l.slice(name.length + 1).trim())
    .filter((l) => !l.startsWith('warning:'));
}

export function describeExit(meaning: ExitMeaning): string {
  switch (meaning.kind) {
    case 'debug-exit': return `debug-exit value ${meaning.value} (QEMU status ${meaning.status}${meaning.shutdownReason === undefined ? '' : `, after SHUTDOWN reason ${meaning.shutdownReason}`})`;
    case 'poweroff': return 'power-off (QEMU status 0)';
    case 'reset': return 'guest reset (QEMU status 0 under -no-reboot)';
    case 'qemu-error': return `QEMU failed${meaning.status === null ? '' : ` (status ${meaning.status})`}: ${meaning.message}`;
    case 'killed-by-runner': return 'stopped by vitest-guest';
    case 'signal': return `QEMU killed by ${meaning.signal}`;
    case 'status': return `QEMU status ${meaning.status}${meaning.shutdownReason === undefined ? '' : ` after SHUTDOWN reason ${meaning.shutdownReason}`}`;
    case 'end-condition': return meaning.what;
  }
}

/** The QEMU status a debug-exit value produces (8-bit, as the shell sees it). */
export function debugExitStatus(value: number): number {
  return ((value << 1) | 1) & 0xff;
}
