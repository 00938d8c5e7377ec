// Starts QEMU with execa as an argv array (never a shell), in its own process group.
import { execa } from 'execa';
import type { QemuCommand } from './argv.js';
import { qemuErrorLines, type QemuEnd } from '../results/exit-status.js';
import { killGroup } from './process-group.js';

const STDERR_TAIL_BYTES = 8192;

export interface QemuProcess {
  pid: number;
  /** Resolves when QEMU has exited, with what its end looked like (minus QMP knowledge). */
  ended: Promise<Omit<QemuEnd, 'shutdownReason' | 'killedByRunner'>>;
  /** Kills the whole process group at once. */
  kill(): void;
  /** The last bytes QEMU wrote to stderr. */
  stderrTail(): string;
}

export function launchQemu(command: QemuCommand): QemuProcess {
  const child = execa(command.binary, command.args, {
    // Own process group: one signal to -pid reaches QEMU and anything it forks.
    detached: true,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: false,
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  const ended = child.then((result) => ({
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    qemuErrors: qemuErrorLines(tail, command.binary),
    spawnError: result.failed && result.exitCode === undefined && !result.signal ? result.shortMessage : undefined,
  }));
  if (child.pid === undefined) {
    return { pid: -1, ended: ended.then(asSpawnFailure), kill: () => undefined, stderrTail: () => tail };
  }
  const pid = child.pid;
  return { pid, ended: ended.then(asSpawnFailure), kill: () => killGroup(pid), stderrTail: () => tail };
}

function asSpawnFailure(end: { exitCode: number | null; signal: string | null; qemuErrors: string[]; spawnError?: string }): Omit<QemuEnd, 'shutdownReason' | 'killedByRunner'> {
  if (end.spawnError) return { exitCode: null, signal: null, qemuErrors: [end.spawnError] };
  return { exitCode: end.exitCode, signal: end.signal, qemuErrors: end.qemuErrors };
}
