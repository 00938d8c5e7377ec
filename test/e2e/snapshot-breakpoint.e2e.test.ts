// A snapshot at a breakpoint on real QEMU (scenarios/snapshots/reference-breakpoint.yaml): the saving run holds
// the reference guest at guest_loop_target's fourth call and saves it there; resumed runs start at that pc,
// the fourth call still to run, and its hit is not counted again. x86_64 in detail, aarch64 and riscv64 too;
// Debian's kernel held at run_init_process (scenarios/snapshots/linux-init.yaml).
import { describe, test, expect, beforeAll, afterAll, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { SNAPSHOT_DIR_ENV } from '../../src/snapshot/store.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { loadSymbols } from '../../src/symbols/load-symbols.js';
import { isolateRuns } from './support/isolated-runs.js';
import { qemuArgsCommand } from '../../src/cli/qemu-args.js';
import { REPO } from './support/host.js';
import { scenarioFrom } from './support/scenario.js';

let cache = '';
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'vitest-guest-snapshot-breakpoint-'));
  process.env[SNAPSHOT_DIR_ENV] = cache;
});
afterAll(() => {
  delete process.env[SNAPSHOT_DIR_ENV];
  rmSync(cache, { recursive: true, force: true });
});
isolateRuns('snapshot-breakpoint');

const scenariosOf = (file: string): Map<string, Scenario> => new Map(loadScenarioFile({ displayPath: file, absolutePath: join(REPO, file), text: readFileSync(join(REPO, file), 'utf8') }).map((doc) => {
  if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
  return [doc.scenario.name, doc.scenario] as const;
}));
const scenarios = scenariosOf('scenarios/snapshots/reference-breakpoint.yaml');
const named = (name: string, arch = 'x86_64'): Scenario => scenarios.get(`${name} (${arch})`)!;
const addressOf = async (fn: string, arch: string): Promise<bigint> => ((await loadSymbols(join(REPO, `guests/reference/build/${arch}/reference.elf`))).resolve(fn) as { address: bigint }[])[0]!.address;

async function run(scenario: Scenario): Promise<{ result: RunResult; said: string[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const result = await runScenario(scenario);
    return { result, said: warn.mock.calls.map((call) => String(call[0])) };
  } finally {
    warn.mockRestore();
  }
}

const statuses = (result: RunResult): string[] => result.verdicts.map((v) => v.status);
const manifestOf = (result: RunResult): { path: string; text: string } => {
  const path = join(cache, `${result.snapshot!.key}.json`);
  return { path, text: readFileSync(path, 'utf8') };
};

describe('a snapshot at a breakpoint', () => {
  test('saved held at the fourth call; the resumed run starts there: its first hit is the fifth call, after the fourth ran once', async () => {
    const { result, said } = await run(named('the-fourth-call-runs-after-the-resume'));
    expect(said).toEqual([]);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.exitVerdict.status).toBe('passed');
    expect(result.snapshot).toMatchObject({ resumed: true });
    const manifest = JSON.parse(manifestOf(result).text);
    expect(manifest.prefix.stop).toEqual({ vcpu: 0, pc: `0x${(await addressOf('guest_loop_target', 'x86_64')).toString(16)}` });
    const label = result.snapshot!.key.slice(0, 12);
    const point = result.verdicts[1]!;
    expect(point.status === 'passed' && point.detail).toContain(`(from snapshot ${label})`);
    // The check at the resumed run's first hit: guest_loop_counter 4 (the point saw 3 calls done).
    const first = result.verdicts[2]!;
    expect(first.status === 'passed' && point.status === 'passed' && first.t > point.t).toBe(true);
    // The line printed before the point went to the saving run; the resumed guest printed the rest.
    expect(result.recentLines.console).not.toContain('loop starts');
    expect(result.recentLines.console).toContain('loop done: 10 calls');
    const hits = result.timeline.events.filter((e) => e.kind === 'hit');
    expect(hits.filter((e) => e.fromSnapshot === label)).toHaveLength(4);
    expect(hits.filter((e) => e.fromSnapshot === undefined).length).toBeGreaterThanOrEqual(1);
  });

  test('a breakpoint listed after the point counts the six calls after it, the held one not twice; the same snapshot', async () => {
    const first = JSON.parse(readFileSync(join(cache, readdirSync(cache).find((f) => f.endsWith('.json'))!), 'utf8'));
    const { result, said } = await run(named('six-calls-after-the-point'));
    expect(said).toEqual([]);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.snapshot).toMatchObject({ resumed: true, key: first.key });
    const verdict = result.verdicts[2]!;
    expect(verdict.status === 'passed' && verdict.detail).toMatch(/\b6\b/);
  });

  test('a fault on the function the guest is held in applies to the held call; without it the call returns 0', async () => {
    const faulted = await run(named('fault-on-the-held-call'));
    expect(faulted.said).toEqual([]);
    expect(statuses(faulted.result)).toEqual(['passed', 'passed', 'passed']);
    expect(faulted.result.snapshot).toMatchObject({ resumed: true });
    expect(faulted.result.timeline.events.filter((e) => e.kind === 'fault')).toEqual([expect.objectContaining({ fn: 'guest_check_value', value: '-5', call: 1 })]);
    const plain = await run(named('same-call-without-the-fault'));
    expect(statuses(plain.result)).toEqual(['passed', 'passed', 'passed']);
    expect(plain.result.snapshot).toMatchObject({ resumed: true, key: faulted.result.snapshot!.key });
    expect(plain.result.recentLines.console).toContain('guest_check_value() returned 0');
  });

  test.each(['aarch64', 'riscv64'])('on %s: held at the fourth call, resumed there, a fault on the held call', async (arch) => {
    const { result, said } = await run(named('the-fourth-call-runs-after-the-resume', arch));
    expect(said).toEqual([]);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.snapshot).toMatchObject({ resumed: true });
    expect(JSON.parse(manifestOf(result).text).prefix.stop).toEqual({ vcpu: 0, pc: `0x${(await addressOf('guest_loop_target', arch)).toString(16)}` });
    expect(result.recentLines.console).not.toContain('loop starts');
    const faulted = await run(named('fault-on-the-held-call', arch));
    expect(statuses(faulted.result)).toEqual(['passed', 'passed', 'passed']);
    expect(faulted.result.snapshot).toMatchObject({ resumed: true });
  });

  test('a breakpoint before the point that the TCG plugin counts: its count is read at the hold, and the point stays the stub\'s', async () => {
    const { result, said } = await run(scenarioFrom(`
name: counted-before-the-point
guest: { kernel: reference, cmdline: 'loop=10 exit=0' }
timeout: 20
exit: { code: 0 }
snapshot: { at: fourth-call }
expect:
  - breakpoint: 'REFERENCE_$$_LOOPBEGINS$QWORD'
  - id: fourth-call
    breakpoint: guest_loop_target
    count: { min: 4 }
  - console: 'loop done: 10 calls'
`));
    expect(said).toEqual([]);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed']);
    expect(result.snapshot).toMatchObject({ resumed: true });
    const saving = result.snapshot!.savingCommand!.args;
    const begins = await addressOf('REFERENCE_$$_LOOPBEGINS$QWORD', 'x86_64');
    expect(saving.find((arg) => arg.includes(',sock='))).toMatch(new RegExp(`,points=${begins.toString(16)}(,|$)`));
    expect(saving).toContain('-gdb');
    expect(JSON.parse(manifestOf(result).text).prefix.met.map((m: { index: number }) => m.index)).toEqual([0, 1]);
  });

  test('with two vCPUs, held on vCPU 1: the manifest names it, and the resumed run counts its three calls after the point', async () => {
    const { result, said } = await run(named('held-on-the-second-vcpu'));
    expect(said).toEqual([]);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed']);
    expect(result.snapshot).toMatchObject({ resumed: true });
    expect(JSON.parse(manifestOf(result).text).prefix.stop).toEqual({ vcpu: 1, pc: `0x${(await addressOf('guest_loop_target', 'x86_64')).toString(16)}` });
  });

  test('qemu-args: the point is the GDB stub\'s in the saving command, and so is the resumed run\'s breakpoint at the held pc', async () => {
    const lines: string[] = [];
    const status = await qemuArgsCommand({ file: 'scenarios/snapshots/reference-breakpoint.yaml', scenario: 'six-calls-after-the-point (x86_64)', standalone: false, workdir: '/tmp/w' }, (l) => lines.push(l), (l) => lines.push(l));
    expect(status).toBe(0);
    const commands = lines.filter((l) => l.startsWith('qemu-system-x86_64 '));
    expect(commands).toHaveLength(2);
    for (const command of commands) {
      expect(command).toContain(' -gdb chardev:vg-gdb ');
      expect(command).not.toContain('-plugin');
    }
    expect(commands[1]).toContain(' -incoming unix:/tmp/w/incoming.sock ');
  });

  test('a resumed machine that is not at the saved pc is refused by the run, never run from elsewhere', async () => {
    const scenario = named('six-calls-after-the-point');
    const { result: resumed } = await run(scenario);
    const { path, text } = manifestOf(resumed);
    const manifest = JSON.parse(text);
    writeFileSync(path, JSON.stringify({ ...manifest, prefix: { ...manifest.prefix, stop: { vcpu: 0, pc: '0x1000' } } }));
    try {
      const { result } = await run(scenario);
      expect(result.snapshot).toMatchObject({ resumed: true });
      expect(result.finish.cause).toMatch(/the resumed machine's vCPU 0 is at 0x[0-9a-f]+, not at the snapshot's breakpoint 0x1000/);
      expect(result.verdicts[2]).toMatchObject({ status: 'failed' });
    } finally {
      writeFileSync(path, text);
    }
  });

  test('on Debian\'s kernel: held at run_init_process, the resumed run runs /init from there; a fault on the held call makes /init fail', async () => {
    // Fetched by npm test's setup step; without it this fails and says how to get it.
    if (!existsSync(join(REPO, 'guests/linux/build/vmlinux'))) throw new Error('guests/linux/build/vmlinux is missing: run bash scripts/setup.sh (npm test does).');
    const linux = scenariosOf('scenarios/snapshots/linux-init.yaml');
    const { result, said } = await run(linux.get('init-runs')!);
    expect(said).toEqual([]);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    expect(result.snapshot).toMatchObject({ resumed: true });
    const map = await loadSymbols(join(REPO, 'guests/linux/build/System.map'));
    expect(JSON.parse(manifestOf(result).text).prefix.stop).toEqual({ vcpu: 0, pc: `0x${(map.resolve('run_init_process') as { address: bigint }[])[0]!.address.toString(16)}` });
    // The kernel's boot lines went to the saving run; run_init_process's own line is the resumed run's.
    expect(result.recentLines.console.some((line) => line.includes('Linux version'))).toBe(false);
    expect(result.recentLines.console.some((line) => line.includes('Run /init as init process'))).toBe(true);
    const faulted = await run(linux.get('init-fails-then-a-shell-is-init')!);
    expect(statuses(faulted.result)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(faulted.result.snapshot).toMatchObject({ resumed: true, key: result.snapshot!.key });
    expect(faulted.result.timeline.events.filter((e) => e.kind === 'fault')).toEqual([expect.objectContaining({ fn: 'run_init_process', value: '-2', call: 1 })]);
    // Longer than the two runs' own 60 s timeouts: a run that fails says why and leaves no QEMU behind.
  }, 150_000);
});
