// Every QEMU process group and work dir this process started, so that no exit path leaves one behind.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { onProcessEnd } from './on-process-end.js';
import { killGroup } from '../qemu/process-group.js';

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
 * Kills every process whose command line names a path inside the session dir (each QEMU names its
 * channel sockets there), then removes the dir; returns how many were still running. Reading /proc
 * rather than a pid file the run writes after spawning leaves no window: a worker killed between the
 * spawn and the write left a QEMU behind.
 */
export function reapSessionDir(sessionDir: string): number {
  const running = processesNaming(`${sessionDir}/`);
  for (const pid of running) killGroup(pid);
  rmSync(sessionDir, { recursive: true, force: true });
  return running.length;
}

function processesNaming(path: string): number[] {
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map(Number)
    .filter((pid) => commandLineOf(pid).includes(path));
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
