// Which QEMU build a snapshot was saved by: its `--version` and the binary's size and mtime.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { QemuIdentity } from './key.js';

const identities = new Map<string, Promise<QemuIdentity>>();

/** `binary` is the resolved path (see findQemuBinary); asked once per process and binary. */
export function qemuIdentity(binary: string): Promise<QemuIdentity> {
  let identity = identities.get(binary);
  if (!identity) {
    identity = (async () => {
      const [{ stdout }, info] = await Promise.all([promisify(execFile)(binary, ['--version'], { timeout: 10_000 }), stat(binary)]);
      return { version: stdout.trim(), size: info.size, mtimeMs: info.mtimeMs };
    })();
    identities.set(binary, identity);
    identity.catch(() => identities.delete(binary));
  }
  return identity;
}
