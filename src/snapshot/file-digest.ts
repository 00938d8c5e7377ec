// sha256 of files, each hashed once per process while its path, size, mtime and inode stay the same.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const digests = new Map<string, Promise<string>>();

export async function fileSha256(path: string): Promise<string> {
  const info = await stat(path);
  const id = `${path}\0${info.size}\0${info.mtimeMs}\0${info.ino}`;
  let digest = digests.get(id);
  if (!digest) {
    digest = hashStream(path);
    digests.set(id, digest);
    digest.catch(() => digests.delete(id));
  }
  return digest;
}

function hashStream(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
