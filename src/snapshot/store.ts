// Where snapshots live: <key>.snap (the stream), <key>.ram (the guest's memory), <key>.json (its manifest, written last: the snapshot
// exists once it does), <key>.lock (held by the one run saving it). By default in the session folder (one
// Vitest run or CLI call); with VITEST_GUEST_SNAPSHOT_DIR, in a cache folder kept under a size limit.
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest, ramMismatch, streamMismatch, type SnapshotManifest } from './manifest.js';
import { ramDigest } from './ram-digest.js';

export const SNAPSHOT_DIR_ENV = 'VITEST_GUEST_SNAPSHOT_DIR';
export const SNAPSHOT_MAX_ENV = 'VITEST_GUEST_SNAPSHOT_MAX';
/** A cache folder's limit when VITEST_GUEST_SNAPSHOT_MAX does not say. */
export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3;
/** How often a run waiting for another's save looks again. */
const WAIT_POLL_MS = 100;

export type Lookup = { kind: 'found'; manifest: SnapshotManifest; path: string; ram: string } | { kind: 'absent' } | { kind: 'stale'; problem: string };

export class SnapshotStore {
  constructor(readonly dir: string, readonly maxBytes: number | undefined) {}

  streamPath(key: string): string { return join(this.dir, `${key}.snap`); }
  ramPath(key: string): string { return join(this.dir, `${key}.ram`); }
  private manifestPath(key: string): string { return join(this.dir, `${key}.json`); }
  private lockPath(key: string): string { return join(this.dir, `${key}.lock`); }

  /** The snapshot of `key` if its manifest and its stream's size agree (the hash is checked as it is read). */
  async lookup(key: string): Promise<Lookup> {
    let text: string;
    try {
      text = await readFile(this.manifestPath(key), 'utf8');
    } catch {
      const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);
      const orphan = (await exists(this.streamPath(key))) || (await exists(this.ramPath(key)));
      return orphan && !(await this.locked(key)) ? { kind: 'stale', problem: 'its stream or guest RAM file has no manifest, a save that never finished' } : { kind: 'absent' };
    }
    const parsed = parseManifest(text, key);
    if ('problem' in parsed) return { kind: 'stale', problem: parsed.problem };
    const path = join(this.dir, parsed.manifest.file);
    const bytes = await stat(path).then((s) => s.size, () => undefined);
    if (bytes === undefined) return { kind: 'stale', problem: 'its stream file is missing' };
    const mismatch = streamMismatch(parsed.manifest, { bytes });
    if (mismatch) return { kind: 'stale', problem: mismatch };
    const ramProblem = await this.checkRam(key, parsed.manifest);
    if (ramProblem) return { kind: 'stale', problem: ramProblem };
    // Used now: the cache's eviction goes by mtime, least recently used first.
    const now = new Date();
    await utimes(this.manifestPath(key), now, now).catch(() => undefined);
    return { kind: 'found', manifest: parsed.manifest, path, ram: join(this.dir, parsed.manifest.ram.file) };
  }

  /**
   * Why the guest RAM file cannot stand for the saved memory, if it cannot. Hashing 512 MiB on every resume
   * would cost more than the stream it replaces, so the file is hashed only when its identity (inode, ctime)
   * is not the one recorded once it was in place: a file written to, truncated or replaced since. A file
   * that still hashes to the save's digest (a cache folder copied elsewhere) is recorded with its new identity.
   */
  private async checkRam(key: string, manifest: SnapshotManifest): Promise<string | undefined> {
    const path = join(this.dir, manifest.ram.file);
    const info = await stat(path).catch(() => undefined);
    if (!info) return 'its guest RAM file is missing';
    const sizeProblem = ramMismatch(manifest.ram, { bytes: info.size });
    if (sizeProblem) return sizeProblem;
    if (info.ino === manifest.ram.ino && info.ctimeMs === manifest.ram.ctimeMs) return undefined;
    const hashProblem = ramMismatch(manifest.ram, { bytes: info.size, digest: await ramDigest(path) });
    if (hashProblem) return hashProblem;
    await this.writeManifest(key, { ...manifest, ram: { ...manifest.ram, ino: info.ino, ctimeMs: info.ctimeMs } });
    return undefined;
  }

  /** Removes a stale or corrupt snapshot so the next run saves it anew. */
  async discard(key: string): Promise<void> {
    await Promise.all([rm(this.manifestPath(key), { force: true }), rm(this.streamPath(key), { force: true }), rm(this.ramPath(key), { force: true })]);
  }

  /** The right to save `key`: an O_EXCL lock file naming this process; false while a live process holds it. */
  async acquire(key: string): Promise<boolean> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(this.lockPath(key), 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (await this.locked(key)) return false;
        // Its owner is gone (killed mid-save): the lock is stale.
        await rm(this.lockPath(key), { force: true });
      }
    }
    return false;
  }

  async release(key: string): Promise<void> {
    await rm(this.lockPath(key), { force: true });
  }

  /** Whether a live process holds the lock of `key`. */
  private async locked(key: string): Promise<boolean> {
    const owner = await readFile(this.lockPath(key), 'utf8').then((text) => Number.parseInt(text, 10), () => undefined);
    if (owner === undefined) return false;
    // A lock just created may not hold its pid yet: count it as held.
    if (!Number.isInteger(owner)) return true;
    try {
      process.kill(owner, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /** Waits up to `ms` for another run's save of `key`: the snapshot, or undefined if that run gave up or took too long. */
  async waitFor(key: string, ms: number, signal?: AbortSignal): Promise<Extract<Lookup, { kind: 'found' }> | undefined> {
    const until = Date.now() + ms;
    while (Date.now() < until && !signal?.aborted) {
      const found = await this.lookup(key);
      if (found.kind === 'found') return found;
      if (!(await this.locked(key))) {
        // The saver may have published and let go between the two looks.
        const last = await this.lookup(key);
        return last.kind === 'found' ? last : undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
    return undefined;
  }

  /** A temporary name for a stream being saved, in the same folder (renamed into place when complete). */
  partialPath(key: string): string {
    return join(this.dir, `${key}.snap.partial-${process.pid}`);
  }

  /** A temporary name for the guest RAM file the saving run's QEMU writes (renamed into place with the stream). */
  partialRamPath(key: string): string {
    return join(this.dir, `${key}.ram.partial-${process.pid}`);
  }

  /**
   * Puts a complete stream and RAM file and then their manifest in place, the RAM file's identity taken once
   * it is in place (a rename changes its ctime); then keeps a cache folder under its limit.
   */
  async publish(key: string, partial: { stream: string; ram: string }, manifest: SnapshotManifest): Promise<void> {
    await rename(partial.ram, this.ramPath(key));
    const ram = await stat(this.ramPath(key));
    await rename(partial.stream, this.streamPath(key));
    await this.writeManifest(key, { ...manifest, ram: { ...manifest.ram, ino: ram.ino, ctimeMs: ram.ctimeMs } });
    if (this.maxBytes !== undefined) await this.evict(key, this.maxBytes);
  }

  /**
   * Adds the RAM file's digest to the manifest, if the file is still the one published. Not part of the save:
   * the first read of the file's holes makes the kernel fill ~400 MB of page cache with zeros (~1 s here for
   * Debian's 512 MiB; 0.15 s once cached), which every scenario of the key would wait for. Until it is
   * there, a RAM file whose identity changed is stale.
   */
  async recordRamDigest(key: string): Promise<void> {
    const path = this.ramPath(key);
    const before = await stat(path);
    const digest = await ramDigest(path);
    const text = await readFile(this.manifestPath(key), 'utf8');
    const parsed = parseManifest(text, key);
    if ('problem' in parsed) return;
    const { ram } = parsed.manifest;
    const after = await stat(path);
    const unchanged = [before, after].every((info) => info.ino === ram.ino && info.ctimeMs === ram.ctimeMs);
    // Only over the manifest it read: one removed meanwhile (the snapshot discarded) must stay removed.
    if (unchanged) await this.writeManifest(key, { ...parsed.manifest, ram: { ...ram, digest } }, text);
  }

  private async writeManifest(key: string, manifest: SnapshotManifest, replacing?: string): Promise<void> {
    // Unique per write: a digest recorded and a lookup's new identity may be written at once.
    const temp = `${this.manifestPath(key)}.partial-${process.pid}-${++manifestWrites}`;
    await writeFile(temp, JSON.stringify(manifest), { mode: 0o600 });
    if (replacing !== undefined && (await readFile(this.manifestPath(key), 'utf8').catch(() => undefined)) !== replacing) {
      await rm(temp, { force: true });
      return;
    }
    await rename(temp, this.manifestPath(key));
  }

  /**
   * Removes the least recently used snapshots (manifest mtime) until the folder is under `limit`, never `keep`.
   * A RAM file counts the disk it takes (the pages the guest touched), not its length.
   */
  private async evict(keep: string, limit: number): Promise<void> {
    const entries = await readdir(this.dir);
    const snapshots = await Promise.all(entries.filter((e) => e.endsWith('.json')).map(async (e) => {
      const key = e.slice(0, -'.json'.length);
      const [manifest, stream, ram] = await Promise.all([stat(join(this.dir, e)).catch(() => undefined), stat(this.streamPath(key)).catch(() => undefined), stat(this.ramPath(key)).catch(() => undefined)]);
      return { key, used: manifest?.mtimeMs ?? 0, bytes: (manifest?.size ?? 0) + (stream?.size ?? 0) + (ram ? ram.blocks * 512 : 0) };
    }));
    let total = snapshots.reduce((sum, s) => sum + s.bytes, 0);
    for (const s of snapshots.sort((a, b) => a.used - b.used)) {
      if (total <= limit) break;
      if (s.key === keep) continue;
      await this.discard(s.key);
      total -= s.bytes;
    }
  }
}

let manifestWrites = 0;
let processDir: string | undefined;

/**
 * The store runs use: the cache folder VITEST_GUEST_SNAPSHOT_DIR names (limit VITEST_GUEST_SNAPSHOT_MAX,
 * e.g. 4G), else `snapshots/` in the session folder, else one folder for this process.
 */
export function snapshotStore(sessionDir: string | undefined): SnapshotStore {
  const cache = process.env[SNAPSHOT_DIR_ENV];
  if (cache) {
    const max = process.env[SNAPSHOT_MAX_ENV];
    const maxBytes = max === undefined || max === '' ? DEFAULT_CACHE_BYTES : parseSize(max);
    if (maxBytes === undefined) throw new Error(`${SNAPSHOT_MAX_ENV}=${JSON.stringify(max)} is not a size: give one like 4G, 512M or a number of bytes`);
    return new SnapshotStore(cache, maxBytes);
  }
  if (sessionDir) return new SnapshotStore(join(sessionDir, 'snapshots'), undefined);
  processDir ??= mkdtempFor();
  return new SnapshotStore(processDir, undefined);
}

function mkdtempFor(): string {
  const dir = join(tmpdir(), `vitest-guest-snapshots-${process.pid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  process.once('exit', () => { rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

/** `4G`, `512M`, `100K` or a number of bytes. */
export function parseSize(text: string | undefined): number | undefined {
  const match = text?.trim().match(/^(\d+)([KMG]?)$/i);
  if (!match) return undefined;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(match[1]) * unit;
}
