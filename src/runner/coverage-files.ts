// A scenario's lcov tracefile (and its listing of functions without a source line), and the run's merged
// tracefile beside them, which every worker that writes one updates under a lock.
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestCoverage } from '../coverage/guest-coverage.js';
import { lcovRecords, mergeRecords, parseLcov, writeLcov } from '../coverage/lcov-tracefile.js';
import { delay } from './delay.js';

/** The run's tracefile, the union of every scenario's in the folder. */
export const MERGED_TRACEFILE = 'lcov.info';
const LOCK = '.merging';
const LOCK_WAIT_MS = 10_000;

/** Writes `<dir>/<name>.info` (and `<name>.functions` when needed), then the merged tracefile; returns the first's path. */
export async function writeTracefile(dir: string, name: string, coverage: GuestCoverage): Promise<string> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, name.replace(/[^A-Za-z0-9._-]+/g, '_'));
  const { records, listing } = lcovRecords(coverage, `${base}.functions`);
  if (listing !== undefined) await writeFile(`${base}.functions`, listing);
  await writeFile(`${base}.info`, writeLcov(name, records));
  await withLock(join(dir, LOCK), async () => {
    const names = (await readdir(dir)).filter((f) => f.endsWith('.info') && f !== MERGED_TRACEFILE).sort();
    const all = await Promise.all(names.map(async (f) => parseLcov(await readFile(join(dir, f), 'utf8'))));
    const merged = join(dir, MERGED_TRACEFILE);
    await writeFile(`${merged}.tmp`, writeLcov('vitest_guest', mergeRecords(...all)));
    await rename(`${merged}.tmp`, merged);
  });
  return `${base}.info`;
}

/** mkdir is atomic: whoever makes the folder holds the lock. One left by a worker that died is broken after the wait. */
async function withLock(lock: string, body: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (Date.now() > deadline || age > LOCK_WAIT_MS) await rm(lock, { recursive: true, force: true });
      else await delay(20);
    }
  }
  try {
    await body();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Removes the tracefiles and listings a run writes (nothing else) from `dir`, when it exists. */
export function clearTracefiles(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.endsWith('.info') || name.endsWith('.functions')) rmSync(join(dir, name), { force: true });
}
