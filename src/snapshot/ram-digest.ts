// The digest of a guest RAM file: sha256 over each 4 KiB page that is not all zeros, with its offset, and
// the file's size. Most of a guest's memory is never touched (the file's holes read as zeros): Debian's
// shell touches ~100 MB of its 512 MiB, and hashing only those pages takes a fraction of hashing the whole
// file, which the saving run waits for. Files of the same size with the same non-zero pages at the same
// offsets hold the same bytes.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const PAGE = 4096;
const CHUNK = 4 * 1024 ** 2;
const ZERO_PAGE = Buffer.alloc(PAGE);

export async function ramDigest(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    const offset = Buffer.alloc(8);
    let position = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      for (let at = 0; at < bytesRead; at += PAGE) {
        const page = buffer.subarray(at, Math.min(at + PAGE, bytesRead));
        if (page.length === PAGE && page.equals(ZERO_PAGE)) continue;
        offset.writeBigUInt64LE(BigInt(position + at));
        hash.update(offset).update(page);
      }
      position += bytesRead;
    }
    offset.writeBigUInt64LE(BigInt(position));
    return hash.update(offset).digest('hex');
  } finally {
    await file.close();
  }
}
