// The snapshot store's files in a private folder: one saver per key, a dead saver's lock taken over,
// a waiter told when the save it waits for was given up, the manifest last, a cache kept under its limit.
import { afterEach, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_DIR_ENV, SNAPSHOT_MAX_ENV, SnapshotStore, snapshotStore } from '../../src/snapshot/store.js';
import { MANIFEST_FORMAT, type SnapshotManifest } from '../../src/snapshot/manifest.js';

const dirs: string[] = [];
const store = (maxBytes?: number): SnapshotStore => {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-store-test-'));
  dirs.push(dir);
  return new SnapshotStore(dir, maxBytes);
};
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

const RAM_BYTES = 4096;
/** ram-digest.ts's digest of 4096 zero bytes: the size alone. */
const RAM_DIGEST = createHash('sha256').update(Buffer.from([0, 16, 0, 0, 0, 0, 0, 0])).digest('hex');
const manifestFor = (key: string, bytes: number): SnapshotManifest => ({
  format: MANIFEST_FORMAT, key, inputs: { qemu: { version: 'v', size: 1, mtimeMs: 1 }, args: [], files: [], prefix: [] },
  file: `${key}.snap`, bytes, sha256: 'a'.repeat(64), ram: { file: `${key}.ram`, bytes: RAM_BYTES, ino: 0, ctimeMs: 0 }, savedAt: '2026-12-03T00:00:00.000Z', saveMs: 1,
  command: { binary: 'qemu-system-x86_64', args: [] }, prefix: { pointT: 1, met: [], events: [] },
});

async function publish(s: SnapshotStore, key: string, bytes: number): Promise<void> {
  const partial = { stream: s.partialPath(key), ram: s.partialRamPath(key) };
  writeFileSync(partial.stream, Buffer.alloc(bytes));
  writeFileSync(partial.ram, Buffer.alloc(RAM_BYTES));
  await s.publish(key, partial, manifestFor(key, bytes));
}

describe('SnapshotStore', () => {
  test('one saver per key: a live holder keeps the lock, a dead one\'s lock is taken over', async () => {
    const s = store();
    expect(await s.acquire('k1')).toBe(true);
    expect(await s.acquire('k1')).toBe(false);
    expect(await s.acquire('k2')).toBe(true);
    await s.release('k1');
    expect(await s.acquire('k1')).toBe(true);
    // No process has pid 2^22 + 1 here (pid_max is at most 2^22).
    writeFileSync(join(s.dir, 'k3.lock'), String(2 ** 22 + 1));
    expect(await s.acquire('k3')).toBe(true);
  });

  test('a waiter gets the snapshot once published, or nothing once its saver gives up', async () => {
    const s = store();
    expect(await s.acquire('k')).toBe(true);
    const waiting = s.waitFor('k', 5000);
    await publish(s, 'k', 100);
    await s.release('k');
    expect(await waiting).toMatchObject({ kind: 'found', manifest: { bytes: 100 } });

    expect(await s.acquire('gone')).toBe(true);
    const given = s.waitFor('gone', 5000);
    await s.release('gone');
    expect(await given).toBeUndefined();
  });

  test('the stream is renamed into place and the manifest written last; a stream alone is a stale save', async () => {
    const s = store();
    await publish(s, 'k', 10);
    expect(readdirSync(s.dir).sort()).toEqual(['k.json', 'k.ram', 'k.snap']);
    rmSync(join(s.dir, 'k.json'));
    expect(await s.lookup('k')).toEqual({ kind: 'stale', problem: 'its stream or guest RAM file has no manifest, a save that never finished' });
    await s.discard('k');
    expect(readdirSync(s.dir)).toEqual([]);
    expect(await s.lookup('other')).toEqual({ kind: 'absent' });
  });

  test('a RAM file changed before its digest was recorded is stale', async () => {
    const s = store();
    await publish(s, 'k', 10);
    expect(await s.lookup('k')).toMatchObject({ kind: 'found', ram: join(s.dir, 'k.ram') });
    writeFileSync(join(s.dir, 'k.ram'), Buffer.alloc(RAM_BYTES));
    expect(await s.lookup('k')).toEqual({ kind: 'stale', problem: 'its guest RAM file changed since the save (another inode or ctime), before its digest was recorded' });
  });

  test('a RAM file written to or replaced since its digest was recorded is hashed: other bytes are stale, the same bytes take the new identity', async () => {
    const s = store();
    await publish(s, 'k', 10);
    await s.recordRamDigest('k');
    const manifestFile = join(s.dir, 'k.json');
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).ram.digest).toBe(RAM_DIGEST);
    expect(await s.lookup('k')).toMatchObject({ kind: 'found', ram: join(s.dir, 'k.ram') });
    const ram = join(s.dir, 'k.ram');
    // Rewritten with the same bytes (a copied folder): hashed, found, and its new identity recorded.
    writeFileSync(ram, Buffer.alloc(RAM_BYTES));
    const before = statSync(ram);
    expect(await s.lookup('k')).toMatchObject({ kind: 'found' });
    expect(JSON.parse(readFileSync(join(s.dir, 'k.json'), 'utf8'))).toMatchObject({ ram: { ino: before.ino, ctimeMs: before.ctimeMs } });
    writeFileSync(ram, Buffer.alloc(RAM_BYTES, 1));
    expect(await s.lookup('k')).toEqual({ kind: 'stale', problem: expect.stringMatching(new RegExp(`^its guest RAM file's digest is [0-9a-f]{12}…, its manifest says ${RAM_DIGEST.slice(0, 12)}…$`)) });
    writeFileSync(ram, Buffer.alloc(10));
    expect(await s.lookup('k')).toEqual({ kind: 'stale', problem: `its guest RAM file has 10 bytes, its manifest says ${RAM_BYTES}` });
    rmSync(ram);
    expect(await s.lookup('k')).toEqual({ kind: 'stale', problem: 'its guest RAM file is missing' });
  });

  test('a RAM file counts towards the limit by the disk it takes', async () => {
    const s = store(3 * 1000 + 2 * RAM_BYTES + 2000);
    await publish(s, 'old', 1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await publish(s, 'new', 1000);
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.ram')).sort()).toEqual(['new.ram', 'old.ram']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await publish(s, 'newest', 1000);
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.ram')).sort()).toEqual(['new.ram', 'newest.ram']);
  });

  test('a cache folder keeps under its limit, the least recently used snapshot going first', async () => {
    const s = store(3000 + 3 * RAM_BYTES);
    await publish(s, 'old', 1000);
    await publish(s, 'used', 1000);
    // Looked up: used now, so the older one goes when the third would pass the limit.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await s.lookup('used');
    await publish(s, 'new', 1000);
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.snap')).sort()).toEqual(['new.snap', 'used.snap']);
  });

  test('the cache folder and its limit come from the environment; a limit that is no size is refused', () => {
    const saved = [process.env[SNAPSHOT_DIR_ENV], process.env[SNAPSHOT_MAX_ENV]];
    try {
      process.env[SNAPSHOT_DIR_ENV] = '/cache/snapshots';
      process.env[SNAPSHOT_MAX_ENV] = '512M';
      expect(snapshotStore('/session')).toMatchObject({ dir: '/cache/snapshots', maxBytes: 512 * 1024 ** 2 });
      process.env[SNAPSHOT_MAX_ENV] = 'lots';
      expect(() => snapshotStore('/session')).toThrow('VITEST_GUEST_SNAPSHOT_MAX="lots" is not a size: give one like 4G, 512M or a number of bytes');
      delete process.env[SNAPSHOT_DIR_ENV];
      expect(snapshotStore('/session')).toMatchObject({ dir: '/session/snapshots', maxBytes: undefined });
    } finally {
      if (saved[0] === undefined) delete process.env[SNAPSHOT_DIR_ENV]; else process.env[SNAPSHOT_DIR_ENV] = saved[0];
      if (saved[1] === undefined) delete process.env[SNAPSHOT_MAX_ENV]; else process.env[SNAPSHOT_MAX_ENV] = saved[1];
    }
  });
});
