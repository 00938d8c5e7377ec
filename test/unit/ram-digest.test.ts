// A guest RAM file's digest: only its non-zero pages and where they are, and its size, count.
import { afterEach, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ramDigest } from '../../src/snapshot/ram-digest.js';

const PAGE = 4096;
const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });
let files = 0;
function file(bytes: Buffer | number): string {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-ram-digest-'));
  dirs.push(dir);
  const path = join(dir, `${files++}.ram`);
  if (typeof bytes === 'number') {
    writeFileSync(path, '');
    truncateSync(path, bytes);
  } else {
    writeFileSync(path, bytes);
  }
  return path;
}
const withPage = (size: number, at: number, fill: number): Buffer => {
  const bytes = Buffer.alloc(size);
  bytes.fill(fill, at, at + PAGE);
  return bytes;
};
const u64 = (n: number): Buffer => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };

describe('ramDigest', () => {
  test('sha256 over each non-zero page with its offset, then the size', async () => {
    const size = 8 * 1024 ** 2 + 3 * PAGE;
    const expected = createHash('sha256').update(u64(5 * 1024 ** 2)).update(Buffer.alloc(PAGE, 7)).update(u64(size)).digest('hex');
    expect(await ramDigest(file(withPage(size, 5 * 1024 ** 2, 7)))).toBe(expected);
  });

  test('a sparse file and one of written zeros are the same memory; a page moved, another size or a partial last page are not', async () => {
    const size = 6 * 1024 ** 2;
    const zeros = await ramDigest(file(size));
    expect(await ramDigest(file(Buffer.alloc(size)))).toBe(zeros);
    expect(await ramDigest(file(size + PAGE))).not.toBe(zeros);
    const one = await ramDigest(file(withPage(size, PAGE, 1)));
    expect(one).not.toBe(zeros);
    expect(await ramDigest(file(withPage(size, 2 * PAGE, 1)))).not.toBe(one);
    // A last page shorter than 4 KiB is hashed even when it is zeros.
    expect(await ramDigest(file(PAGE + 10))).toBe(createHash('sha256').update(u64(PAGE)).update(Buffer.alloc(10)).update(u64(PAGE + 10)).digest('hex'));
  });
});
