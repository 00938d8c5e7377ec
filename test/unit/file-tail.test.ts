// FileTail reads a file as another process appends to it: every byte once, in order, however the
// writes are split and however late the reader comes to them.
import { afterEach, describe, expect, test } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTail } from '../../src/qemu/file-tail.js';

const dirs: string[] = [];
afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

function emptyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vg-tail-'));
  dirs.push(dir);
  const path = join(dir, 'channel.out');
  writeFileSync(path, '');
  return path;
}

function collect(tail: FileTail): Buffer[] {
  const chunks: Buffer[] = [];
  tail.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  return chunks;
}

describe('FileTail', () => {
  test('one-byte appends as they come, then the rest at finish: every byte once, in order', async () => {
    const path = emptyFile();
    const tail = await FileTail.open(path);
    const chunks = collect(tail);
    const text = 'not ok 17 linear-ranges-test\n'.repeat(50);
    for (const [i, char] of [...text].entries()) {
      appendFileSync(path, char);
      if (i % 97 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await tail.finish();
    expect(Buffer.concat(chunks).toString()).toBe(text);
  });

  test('a burst of one-byte writes is read as it comes, in a few reads rather than one per byte', async () => {
    const path = emptyFile();
    const tail = await FileTail.open(path);
    const chunks = collect(tail);
    const text = 'SeaBIOS (version 1.16.2-debian-1.16.2-1)\n'.repeat(50);
    // One write a turn of the event loop, as QEMU writes a debug port's bytes while the reader runs.
    for (const char of text) {
      appendFileSync(path, char);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const deadline = Date.now() + 5000;
    while (Buffer.concat(chunks).length < text.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(Buffer.concat(chunks).toString()).toBe(text);
    expect(chunks.length).toBeLessThan(text.length / 10);
    await tail.finish();
  });

  test('a reader that comes late reads megabytes written meanwhile, in 64 KiB chunks', async () => {
    const path = emptyFile();
    const tail = await FileTail.open(path);
    const chunks = collect(tail);
    const block = Buffer.alloc(3 * 1024 * 1024 + 5, 'x');
    block[block.length - 1] = 0x0a;
    // Written synchronously: the reader gets no turn until all of it is there.
    writeFileSync(path, block);
    await tail.finish();
    expect(Buffer.concat(chunks).equals(block)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBe(64 * 1024);
  });

  test('finish on an empty file closes with no data; stop closes at once and reads no more', async () => {
    const empty = await FileTail.open(emptyFile());
    expect(collect(empty)).toEqual([]);
    await empty.finish();

    const path = emptyFile();
    const tail = await FileTail.open(path);
    const chunks = collect(tail);
    let closed = 0;
    tail.on('close', () => closed++);
    tail.stop();
    appendFileSync(path, 'after the stop\n');
    await tail.finish();
    expect(chunks).toEqual([]);
    expect(closed).toBe(1);
  });

  test('a read that fails ends the tail, keeping why', async () => {
    // A folder opens for reading, and every read of it fails (EISDIR).
    const dir = mkdtempSync(join(tmpdir(), 'vg-tail-dir-'));
    dirs.push(dir);
    const tail = await FileTail.open(dir);
    await tail.finish();
    expect(tail.failure?.message).toMatch(/EISDIR/);
  });

  test('with create, the file is made empty and private, read from its first byte, and one already there is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-tail-'));
    dirs.push(dir);
    const path = join(dir, 'console.out');
    const tail = await FileTail.open(path, { create: true });
    expect(statSync(path).size).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const chunks = collect(tail);
    appendFileSync(path, 'first line\n');
    await tail.finish();
    expect(Buffer.concat(chunks).toString()).toBe('first line\n');
    await expect(FileTail.open(path, { create: true })).rejects.toThrow(/EEXIST/);
  });

  test('a file that does not exist is refused at open', async () => {
    await expect(FileTail.open(join(tmpdir(), 'vg-no-such-dir', 'x.out'))).rejects.toThrow(/ENOENT/);
  });
});
