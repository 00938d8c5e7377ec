// The session dir: one private 0700 folder per Vitest run (or CLI call) that holds every run's work dir.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapSessionDir } from './process-registry.js';

export const SESSION_ENV = 'VITEST_GUEST_SESSION';
const SESSION_PREFIX = 'vitest-guest-session-';

/** Creates the session dir named after the owning pid, so a later run can tell whether its owner is gone. */
export function createSessionDir(): string {
  return mkdtempSync(join(tmpdir(), `${SESSION_PREFIX}${process.pid}-`));
}

/** Cleans session dirs (and their QEMU groups) whose owning process no longer exists. */
export function reapAbandonedSessions(): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(SESSION_PREFIX)) continue;
    const owner = Number.parseInt(entry.slice(SESSION_PREFIX.length), 10);
    if (Number.isInteger(owner) && !processExists(owner)) reapSessionDir(join(tmpdir(), entry));
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A private work dir for one run, inside the session dir when there is one. */
export function createRunDir(): string {
  const parent = process.env[SESSION_ENV] ?? tmpdir();
  // mkdtemp creates the folder with mode 0700: sockets inside are reachable by this user only.
  return mkdtempSync(join(parent, process.env[SESSION_ENV] ? 'run-' : 'vitest-guest-run-'));
}
