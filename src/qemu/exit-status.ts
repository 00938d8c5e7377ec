// What a QEMU exit means: each end-of-run mechanism reads the exit status differently.

export interface QemuEnd {
  /** Process exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: string | null;
  /** Reason of the last QMP SHUTDOWN event, e.g. guest-shutdown, guest-reset, host-signal. */
  shutdownReason?: string;
  /** We stopped it (verdict known, timeout, abort): its status says nothing about the guest. */
  killedByRunner: boolean;
  /** QEMU's own error lines on stderr (`qemu-system-x86_64: ...`). */
  qemuErrors: string[];
}

export type ExitMeaning =
  | { kind: 'debug-exit'; value: number; status: number }
  | { kind: 'poweroff' }
  | { kind: 'reset' }
  | { kind: 'qemu-error'; message: string; status: number | null }
  | { kind: 'killed-by-runner' }
  | { kind: 'signal'; signal: string }
  | { kind: 'status'; status: number }
  /** A scenario `end` condition was met (a final line, a quiet time, a QMP event); QEMU was then stopped. */
  | { kind: 'end-condition'; what: string };

/**
 * isa-debug-exit makes QEMU exit with (value << 1) | 1, without a SHUTDOWN event; ACPI power-off exits 0
 * after SHUTDOWN(guest-shutdown); a triple fault under -no-reboot exits 0 after SHUTDOWN(guest-reset).
 * QEMU's own failures also exit 1, so its stderr decides between "QEMU error" and "debug-exit value 0".
 */
export function interpretExit(end: QemuEnd): ExitMeaning {
  if (end.killedByRunner) return { kind: 'killed-by-runner' };
  if (end.qemuErrors.length > 0) return { kind: 'qemu-error', message: end.qemuErrors.join('; '), status: end.exitCode };
  if (end.exitCode === null) return { kind: 'signal', signal: end.signal ?? 'unknown signal' };
  if (end.shutdownReason === 'guest-reset') return { kind: 'reset' };
  if (end.exitCode === 0) return end.shutdownReason === 'guest-shutdown' || end.shutdownReason === undefined ? { kind: 'poweroff' } : { kind: 'status', status: 0 };
  if (end.exitCode % 2 === 1 && end.shutdownReason === undefined) return { kind: 'debug-exit', value: (end.exitCode - 1) / 2, status: end.exitCode };
  return { kind: 'status', status: end.exitCode };
}

export function describeExit(meaning: ExitMeaning): string {
  switch (meaning.kind) {
    case 'debug-exit': return `debug-exit value ${meaning.value} (QEMU status ${meaning.status})`;
    case 'poweroff': return 'power-off (QEMU status 0)';
    case 'reset': return 'guest reset or triple fault (QEMU status 0 under -no-reboot)';
    case 'qemu-error': return `QEMU failed${meaning.status === null ? '' : ` (status ${meaning.status})`}: ${meaning.message}`;
    case 'killed-by-runner': return 'stopped by vitest-guest';
    case 'signal': return `QEMU killed by ${meaning.signal}`;
    case 'status': return `QEMU status ${meaning.status}`;
    case 'end-condition': return meaning.what;
  }
}

/** The QEMU status a debug-exit value produces (8-bit, as the shell sees it). */
export function debugExitStatus(value: number): number {
  return ((value << 1) | 1) & 0xff;
}
