// Starts QEMU as an argv array (never a shell), in its own process group. node:child_process rather
// than execa: nothing of execa's is needed here (no shell, no output kept, the end read from 'close'),
// and execa's ~100 modules took a Vitest worker ~75 ms to load before its first scenario.
import { spawn } from 'node:child_process';
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
  // Own process group: one signal to -pid reaches QEMU and anything it forks.
  const child = spawn(command.binary, command.args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  // 'close' comes once QEMU has exited and its stderr is read to the end; 'error' alone when it never started.
  const ended = new Promise<Omit<QemuEnd, 'shutdownReason' | 'killedByRunner'>>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve({ exitCode: null, signal: null, qemuErrors: [`cannot start QEMU: ${error.message}`] });
    });
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, qemuErrors: qemuErrorLines(tail, command.binary) }));
  });
  if (child.pid === undefined) return { pid: -1, ended, kill: () => undefined, stderrTail: () => tail };
  const pid = child.pid;
  return { pid, ended, kill: () => killGroup(pid), stderrTail: () => tail };
}
