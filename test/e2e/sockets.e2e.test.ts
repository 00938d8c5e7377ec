// Security of a run: QMP, the GDB stub and the TCG plugin's stream are UNIX sockets, the guest's channels files, all in a private
// 0700 folder; neither QEMU nor the runner holds a TCP or UDP socket while the guest runs.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { processesMentioning, waitFor } from './support/host.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('sockets');

/** Inodes of the sockets a process holds, from its open file descriptors. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** Inodes of every TCP and UDP socket in the network namespace (IPv4 and IPv6), listening or not. */
function inetInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const lines = readFileSync(`/proc/net/${table}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) inodes.add(line.trim().split(/\s+/)[9]!);
  }
  return inodes;
}

/** The UNIX socket paths a process has bound or connected, from /proc/net/unix. */
function unixPaths(inodes: Set<string>): string[] {
  return readFileSync('/proc/net/unix', 'utf8').trim().split('\n').slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => inodes.has(fields[6]!) && fields[7])
    .map((fields) => fields[7]!);
}

describe('sockets of a run', () => {
  test('QEMU and the runner use UNIX sockets and files only, in a 0700 folder, with the GDB stub and the plugin attached', async () => {
    const tmp = process.env.TMPDIR!;
    const running = runScenario(scenarioFrom(`
name: sockets
guest: { kernel: reference, cmdline: 'loop=3 check sleep=1500 exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  # A memory check needs the stop: the GDB stub's. A count alone: the plugin's.
  - breakpoint: guest_check_value
    count: 1
    memory:
      - { at: guest_loop_counter, size: 8, equals: 3 }
  - breakpoint: guest_loop_target
    count: 3
`));
    const [qemu] = await waitFor(() => { const pids = processesMentioning(tmp); return pids.length > 0 && pids; }, 10_000, 'QEMU to start');
    // Let the guest run under the debugger, every channel connected.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const qemuSockets = socketInodes(qemu!);
    const ourSockets = socketInodes(process.pid);
    const inet = inetInodes();
    expect([...qemuSockets].filter((inode) => inet.has(inode))).toEqual([]);
    expect([...ourSockets].filter((inode) => inet.has(inode))).toEqual([]);
    // The listening ends are ours, named in the run folder: its mode is 0700.
    const paths = unixPaths(ourSockets).filter((path) => path.startsWith(tmp));
    expect(paths.map((path) => path.split('/').at(-1)).sort()).toEqual(['gdb.sock', 'plugin.sock', 'qmp.sock']);
    const runDir = dirname(paths[0]!);
    expect(statSync(runDir).mode & 0o777).toBe(0o700);
    // The guest's channels, written by QEMU as files beside them (no port 0x80: the scenario uses no codes).
    expect(readdirSync(runDir).filter((name) => name.endsWith('.out')).sort()).toEqual(['console.out', 'debugcon.out', 'firmware.out']);
    const result = await running;
    expect(result.exitVerdict.status).toBe('passed');
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'passed']);
  });
});
