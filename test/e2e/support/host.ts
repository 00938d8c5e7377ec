// What end-to-end tests look at on the host: QEMU processes, leftover files, the repo's paths.
import { readdirSync, readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

export const REPO = resolve(import.meta.dirname, '../../..');
export const REFERENCE_KERNEL = join(REPO, 'guests/reference/build/x86_64/reference.elf');
export const VITEST_BIN = join(REPO, 'node_modules/.bin/vitest');

/** End-to-end tests never skip: without QEMU or the built guest they fail and say how to fix it. */
export function requireQemuAndGuest(): void {
  try {
    execFileSync('qemu-system-x86_64', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('qemu-system-x86_64 is not installed: run `npm run demo` as root, or apt-get install --no-install-recommends qemu-system-x86.');
  }
  if (!existsSync(REFERENCE_KERNEL)) throw new Error(`${REFERENCE_KERNEL} is missing: run \`make -C guests/reference\` (npm test does it).`);
}

/** Pids of live processes whose command line mentions `text` (e.g. a private TMPDIR). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // Skip zombies: they hold no resources and vanish once reaped.
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(text) && cmdline.includes('qemu-system') && state !== 'Z') pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** A fresh private folder to use as TMPDIR, so every file a run leaves behind can be seen. */
export function privateTmpdir(label: string): string {
  return mkdtempSync(join(tmpdir(), `vg-test-${label}-`));
}

export function entriesOf(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
