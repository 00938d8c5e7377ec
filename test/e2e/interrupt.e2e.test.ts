// However a Vitest run ends mid-scenario, no QEMU process and no temp dir or socket remains.
import { describe, test, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { entriesOf, privateTmpdir, processesMentioning, requireQemuAndGuest, waitFor } from './support/host.js';
import { FIXTURES_CONFIG, spawnVitest } from './support/run-vitest.js';

beforeAll(requireQemuAndGuest);

/** Starts vitest on the hanging fixture with a private TMPDIR and waits until its QEMU runs. */
async function vitestWithRunningQemu(label: string) {
  const tmp = privateTmpdir(label);
  const vitest = spawnVitest(['test/fixtures/e2e/hang.yaml'], { TMPDIR: tmp }, FIXTURES_CONFIG);
  const [qemuPid] = await waitFor(() => {
    const pids = processesMentioning(tmp);
    return pids.length > 0 && pids;
  }, 30_000, 'QEMU to start under vitest');
  return { tmp, vitest, qemuPid: qemuPid! };
}

async function expectNothingLeft(tmp: string): Promise<void> {
  await waitFor(() => processesMentioning(tmp).length === 0, 5_000, 'QEMU to be gone');
  // Only vitest-guest's own folders are checked: an interrupted Vitest leaves its module cache in TMPDIR.
  expect(entriesOf(tmp).filter((e) => e.startsWith('vitest-guest-'))).toEqual([]);
  // Checked: now the folder (and Vitest's leftover cache in it) can go.
  rmSync(tmp, { recursive: true, force: true });
}

/** The forked worker that runs the test file: a child of the vitest process, not QEMU. */
function workerOf(mainPid: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === mainPid && !cmdline.includes('qemu-system')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

describe('interrupting a running vitest', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s to the vitest process leaves no QEMU and no temp dir, and says so', async (signal) => {
    const { tmp, vitest } = await vitestWithRunningQemu(signal.toLowerCase());
    expect(entriesOf(tmp).filter((e) => e.startsWith('vitest-guest-session-'))).toHaveLength(1);
    vitest.kill(signal);
    const result = await vitest;
    expect(result.exitCode ?? result.signal).not.toBe(0);
    // Vitest itself says nothing more: the plugin says what became of the guest.
    expect(result.all).toContain(`vitest-guest: ${signal}: stopped 1 running guest (QEMU killed, run folders removed)`);
    await expectNothingLeft(tmp);
  });

  test('a worker killed with SIGKILL leaves no QEMU and no temp dir once vitest ends', async () => {
    const { tmp, vitest } = await vitestWithRunningQemu('worker');
    const worker = await waitFor(() => workerOf(vitest.pid!), 5_000, 'the vitest worker');
    process.kill(worker, 'SIGKILL');
    const result = await vitest;
    expect(result.exitCode).not.toBe(0);
    await expectNothingLeft(tmp);
  });

  test('--bail stops the hanging scenario once another fails: QEMU gone, nothing left, long before its timeout', async () => {
    const tmp = privateTmpdir('bail');
    const started = Date.now();
    const run = await spawnVitest(['--bail=1', 'test/fixtures/e2e/fails.yaml', 'test/fixtures/e2e/hang.yaml'], { TMPDIR: tmp }, FIXTURES_CONFIG);
    expect(run.exitCode).toBe(1);
    expect(run.all).toContain('test: fails->exit debug-exit 0 (status 1) ..... FAILED');
    // hang.yaml's own timeout is 120 s.
    expect(Date.now() - started).toBeLessThan(60_000);
    await expectNothingLeft(tmp);
  });

  test('SIGKILL to the vitest process: its worker stops QEMU, and the next run removes the abandoned session', async () => {
    const { tmp, vitest } = await vitestWithRunningQemu('main-kill');
    vitest.kill('SIGKILL');
    await vitest;
    await waitFor(() => processesMentioning(tmp).length === 0, 5_000, 'QEMU to be gone');
    expect(entriesOf(tmp).filter((e) => e.startsWith('vitest-guest-session-'))).toHaveLength(1);
    const next = await spawnVitest(['test/fixtures/e2e/quick.yaml'], { TMPDIR: tmp }, FIXTURES_CONFIG);
    expect(next.exitCode).toBe(0);
    await expectNothingLeft(tmp);
  });
});
