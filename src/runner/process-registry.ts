// Every QEMU process group and work dir this process started, so that no exit path leaves one behind.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onProcessEnd } from './on-process-end.js';

interface Tracked {
  pgid: number;
  dir: string;
}

const live = new Map<number, Tracked>();
let installed = false;

/** Records a running QEMU group and its work dir; installs the exit and signal hooks once. */
export function trackRun(pgid: number, dir: string): void {
  installHooks();
  live.set(pgid, { pgid, dir });
}

export function untrackRun(pgid: number): void {
  live.delete(pgid);
}

/** Kills a process group, ignoring one that is already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Synchronous, so it also works inside an `exit` handler. */
export function killAllTracked(): void {
  for (const { pgid, dir } of live.values()) {
    killGroup(pgid);
    rmSync(dir, { recursive: true, force: true });
  }
  live.clear();
}

function installHooks(): void {
  if (installed) return;
  installed = true;
  onProcessEnd(killAllTracked);
  // A Vitest fork whose main process died loses its IPC channel: nobody will wait for this run.
  process.on('disconnect', () => {
    killAllTracked();
    process.exit(1);
  });
}

/**
 * Kills the QEMU groups recorded under a session dir (each run dir holds `qemu.pid`) and removes the dir.
 * The pid is only trusted when that process's command line still names the run dir.
 */
export function reapSessionDir(sessionDir: string): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(sessionDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const runDir = join(sessionDir, entry);
    const pid = readPid(join(runDir, 'qemu.pid'));
    if (pid !== undefined && commandLineOf(pid).includes(runDir)) killGroup(pid);
  }
  rmSync(sessionDir, { recursive: true, force: true });
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
