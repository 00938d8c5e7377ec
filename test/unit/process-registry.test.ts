// The session reaper finds what a run started by its command line alone: no pid file to miss.
import { describe, test, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapSessionDir } from '../../src/runner/process-registry.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('reapSessionDir', () => {
  test('kills a process group whose command line names a path in the session dir, and removes the dir', async () => {
    const session = mkdtempSync(join(tmpdir(), 'vg-reap-'));
    mkdirSync(join(session, 'run-1'));
    // Stands in for a QEMU started just before its worker died: detached, naming its socket path.
    // (The path is sh's $0: it only sits in the command line, as QEMU's socket paths do.)
    const child = spawn('sh', ['-c', 'sleep 60', join(session, 'run-1', 'console.sock')], { detached: true, stdio: 'ignore' });
    const bystander = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const killedBy = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    expect(alive(child.pid!)).toBe(true);
    reapSessionDir(session);
    expect(await killedBy).toBe('SIGKILL');
    expect(existsSync(session)).toBe(false);
    expect(alive(bystander.pid!)).toBe(true);
    process.kill(bystander.pid!, 'SIGKILL');
  });
});
