// Machine snapshots on real QEMU with the reference guest's echo prompt: saved once, resumed, and a
// stale or corrupt snapshot (truncated, bytes flipped, manifest gone) detected, said and rebuilt; the guest's
// RAM in a file the saving QEMU shares and every resumed QEMU maps copy-on-write, left as saved.
import { describe, test, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { runRepeated } from '../../src/runner/run-repeated.js';
import { SNAPSHOT_DIR_ENV } from '../../src/snapshot/store.js';
import { ramDigest } from '../../src/snapshot/ram-digest.js';
import { isolateRuns } from './support/isolated-runs.js';
import { failureMessage } from '../../src/vitest/failure-message.js';
import { qemuArgsCommand } from '../../src/cli/qemu-args.js';
import { scenarioFrom } from './support/scenario.js';

let cache = '';
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'vitest-guest-snapshot-cache-'));
  process.env[SNAPSHOT_DIR_ENV] = cache;
});
afterAll(() => {
  delete process.env[SNAPSHOT_DIR_ENV];
  rmSync(cache, { recursive: true, force: true });
});
isolateRuns('snapshots');

/** The echo guest answers a line; the snapshot is taken at its first prompt. */
const scenario = (line: string) => scenarioFrom(`
name: echo-${line}
guest: { kernel: reference, cmdline: 'print="echo guest up" echo' }
timeout: 20
snapshot: { at: ready }
expect:
  - console: echo guest up
  - id: ready
    console: 'echo> '
  - send: "${line}\\n"
  - console: 'echo: ${line}'
    timeout: 5
`);

const statuses = (result: RunResult): string[] => result.verdicts.map((v) => v.status);
const snapshotFiles = (): string[] => readdirSync(cache).sort();
const streamFile = (): string => join(cache, snapshotFiles().find((f) => f.endsWith('.snap'))!);
const ramFile = (): string => join(cache, snapshotFiles().find((f) => f.endsWith('.ram'))!);
const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function runSaying(line: string): Promise<{ result: RunResult; said: string[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    const result = await runScenario(scenario(line));
    return { result, said: warn.mock.calls.map((call) => String(call[0])) };
  } finally {
    warn.mockRestore();
  }
}

describe('snapshots', () => {
  test('the first run saves at the point and resumes; the next resumes with the prefix met by the saving run', async () => {
    const first = await runSaying('one');
    expect(statuses(first.result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(first.said).toEqual([]);
    expect(first.result.snapshot).toMatchObject({ resumed: true });
    // The RAM file's digest is recorded in the background: its manifest may be there under a temporary name.
    const files = snapshotFiles().filter((f) => !f.includes('.json.partial-'));
    const key = first.result.snapshot!.key;
    expect(files).toEqual([`${key}.json`, `${key}.ram`, `${key}.snap`]);
    const manifest = JSON.parse(readFileSync(join(cache, files[0]!), 'utf8'));
    expect(manifest.bytes).toBe(statSync(join(cache, files[2]!)).size);
    // The guest's memory is in the RAM file (128M, the default), not in the stream, which holds device state.
    expect(manifest.ram).toMatchObject({ file: `${key}.ram`, bytes: 128 * 1024 ** 2 });
    // Its digest is recorded after the save, without the scenarios waiting for it.
    const recorded = await vi.waitFor(() => {
      const digest = JSON.parse(readFileSync(join(cache, files[0]!), 'utf8')).ram.digest as string | undefined;
      if (!digest) throw new Error('no digest recorded yet');
      return digest;
    }, { timeout: 10_000, interval: 50 });
    expect(recorded).toBe(await ramDigest(join(cache, files[1]!)));
    expect(manifest.bytes).toBeLessThan(4 * 1024 ** 2);
    expect(manifest.prefix.met.map((m: { index: number }) => m.index)).toEqual([0, 1]);
    // The resuming command differs from the saving one by -incoming only (and its own sockets).
    expect(first.result.command!.args).toContain('-incoming');
    expect(first.result.snapshot!.savingCommand!.args).not.toContain('-incoming');
    const backend = (args: string[]): string => args[args.indexOf('-object') + 1]!;
    expect(backend(first.result.snapshot!.savingCommand!.args)).toMatch(new RegExp(`^memory-backend-file,id=vg-ram,size=128M,mem-path=${cache}/${key}\\.ram\\.partial-\\d+,share=on$`));
    expect(backend(first.result.command!.args)).toBe(`memory-backend-file,id=vg-ram,size=128M,mem-path=${cache}/${key}.ram,share=off`);

    const second = await runSaying('two');
    expect(statuses(second.result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(second.said).toEqual([]);
    expect(second.result.snapshot!.key).toBe(first.result.snapshot!.key);
    const label = second.result.snapshot!.key.slice(0, 12);
    const prompt = second.result.verdicts[1]!;
    expect(prompt.status === 'passed' && prompt.detail).toContain(`(from snapshot ${label})`);
    // The resumed run's clock goes on from the saving run's point: the reply comes after it.
    const reply = second.result.verdicts[3]!;
    expect(reply.status === 'passed' && prompt.status === 'passed' && reply.t > prompt.t).toBe(true);
    expect(second.result.timeline.events.filter((e) => e.fromSnapshot === label).length).toBeGreaterThanOrEqual(2);
    expect(second.result.recentLines.console).toContain('echo: two');
    expect(second.result.recentLines.console).not.toContain('echo guest up');
  });

  test('a resumed run leaves the RAM file as saved: its guest writes memory into a copy-on-write mapping', async () => {
    const file = ramFile();
    const before = { sha256: sha256Of(file), stat: statSync(file) };
    const { result, said } = await runSaying('unchanged');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(said).toEqual([]);
    expect(result.snapshot).toMatchObject({ resumed: true });
    // The guest ran: it read the line into its memory and answered it.
    expect(result.recentLines.console).toContain('echo: unchanged');
    const after = statSync(file);
    expect(sha256Of(file)).toBe(before.sha256);
    expect([after.ino, after.size, after.mtimeMs, after.ctimeMs]).toEqual([before.stat.ino, before.stat.size, before.stat.mtimeMs, before.stat.ctimeMs]);
  });

  test('a RAM file written since the save is hashed at the resume: other bytes are stale, said and rebuilt', async () => {
    const file = ramFile();
    const bytes = readFileSync(file);
    // The reference kernel's first page (loaded at 1 MiB): the guest would run other code.
    for (let i = 0x100000; i < 0x100000 + 64; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);
    const { result, said } = await runSaying('ram');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(said).toEqual([expect.stringMatching(/snapshot [0-9a-f]{12} is stale or corrupt \(its guest RAM file's digest is [0-9a-f]{12}…, its manifest says [0-9a-f]{12}…\): it is removed and rebuilt by booting/)]);
    expect(result.snapshot).toMatchObject({ resumed: true });
    const manifest = JSON.parse(readFileSync(join(cache, snapshotFiles().find((f) => f.endsWith('.json'))!), 'utf8'));
    await vi.waitFor(async () => expect(JSON.parse(readFileSync(join(cache, snapshotFiles().find((f) => f.endsWith('.json'))!), 'utf8')).ram.digest).toBe(await ramDigest(ramFile())), { timeout: 10_000, interval: 50 });
  });

  test('a truncated stream is stale: said, removed and saved again', async () => {
    const before = statSync(streamFile()).size;
    truncateSync(streamFile(), Math.floor(before / 2));
    const { result, said } = await runSaying('three');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/snapshot [0-9a-f]{12} is stale or corrupt \(the file has \d+ bytes, its manifest says \d+\): it is removed and rebuilt by booting/);
    expect(statSync(streamFile()).size).toBe(before);
    expect(result.snapshot).toMatchObject({ resumed: true });
  });

  test('flipped bytes of the same size: refused before the guest runs, said, rebuilt', async () => {
    const file = streamFile();
    const bytes = readFileSync(file);
    // Guest RAM in the middle of the stream: QEMU itself may load it without a complaint; the hash may not.
    for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);
    const { result, said } = await runSaying('four');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(said).toHaveLength(1);
    // Where the flip lands in a page's bytes QEMU loads them and the hash says no; on a section header, QEMU does.
    expect(said[0]).toMatch(/snapshot [0-9a-f]{12} was refused \(.*(the file's sha256 is [0-9a-f]{12}…, its manifest says [0-9a-f]{12}…|QEMU said: .+)\): it is removed and rebuilt by booting/);
    expect(result.snapshot).toMatchObject({ resumed: true });
    expect(result.recentLines.console).toContain('echo: four');
  });

  test('a stream whose header QEMU refuses: said in QEMU\'s own words, rebuilt', async () => {
    const file = streamFile();
    const bytes = readFileSync(file);
    for (let i = 0; i < 8; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);
    const { result, said } = await runSaying('six');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/snapshot [0-9a-f]{12} was refused \(.*QEMU said: .*migration.*\): it is removed and rebuilt by booting/i);
    expect(result.snapshot).toMatchObject({ resumed: true });
  });

  test('a stream without its manifest is a save that never finished: rebuilt', async () => {
    const manifest = snapshotFiles().find((f) => f.endsWith('.json'))!;
    // The save before this test records its RAM file's digest in the background: removed while that
    // write was under way, the manifest came back (a CI run under load), and nothing was left to rebuild.
    await vi.waitFor(() => expect(JSON.parse(readFileSync(join(cache, manifest), 'utf8')).ram.digest).toMatch(/^[0-9a-f]{64}$/), { timeout: 20_000, interval: 50 });
    rmSync(join(cache, manifest));
    const { result, said } = await runSaying('five');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(said).toEqual([expect.stringMatching(/its stream or guest RAM file has no manifest, a save that never finished\): it is removed and rebuilt by booting/)]);
    expect(snapshotFiles().filter((f) => !f.includes('.json.partial-'))).toEqual([manifest, manifest.replace(/\.json$/, '.ram'), manifest.replace(/\.json$/, '.snap')]);
  });

  test('runs of one key at once share one save: one saves, the others wait and resume; repeat resumes each run', async () => {
    rmSync(cache, { recursive: true, force: true });
    const { result: [a, b, c], said } = await (async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const results = await Promise.all([runScenario(scenario('par-a')), runScenario(scenario('par-b')), runRepeated({ ...scenario('par-c'), repeat: 2 })]);
        return { result: results, said: warn.mock.calls.map((call) => String(call[0])) };
      } finally {
        warn.mockRestore();
      }
    })();
    expect(said).toEqual([]);
    for (const result of [a!, b!, c!]) {
      expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
      expect(result.snapshot).toMatchObject({ resumed: true, key: a!.snapshot!.key });
    }
    expect(c!.runs).toHaveLength(2);
    expect(snapshotFiles().filter((f) => f.endsWith('.snap'))).toHaveLength(1);
  });

  test('a failure after the resume says the run resumed, from which snapshot', async () => {
    const scenario = scenarioFrom(`
name: wrong-reply
guest: { kernel: reference, cmdline: 'print="echo guest up" echo' }
timeout: 20
snapshot: { at: ready }
expect:
  - console: echo guest up
  - id: ready
    console: 'echo> '
  - send: "seven\\n"
  - console: 'echo: eight'
    timeout: 1
`);
    const result = await runScenario(scenario);
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'failed']);
    const verdict = result.verdicts[3]!;
    const message = failureMessage(verdict.status === 'failed' ? verdict.reason : '', scenario.expectations[3]!.location, result);
    const label = result.snapshot!.key.slice(0, 12);
    expect(message).toContain(`resumed from snapshot ${label}: what the timeline marks (from snapshot ${label}) was met by the run that saved it`);
    expect(message).toMatch(new RegExp(`console\\s+"echo> " \\(expect\\[1\\]\\) \\(from snapshot ${label}\\)`));
  });

  test('qemu-args prints the saving command and the resuming one', async () => {
    const lines: string[] = [];
    const status = await qemuArgsCommand({ file: 'scenarios/snapshots/linux-shell.yaml', scenario: 'uname', standalone: false, workdir: '/tmp/w' }, (l) => lines.push(l), (l) => lines.push(l));
    expect(status).toBe(0);
    const commands = lines.filter((l) => l.startsWith('qemu-system-x86_64 '));
    expect(commands).toHaveLength(2);
    expect(lines[1]).toContain('# saves the snapshot (once per key): the expectations up to "shell" booted alone');
    expect(commands[0]).not.toContain('-incoming');
    expect(commands[1]).toContain(' -S -incoming unix:/tmp/w/incoming.sock ');
    expect(commands[0]).toContain(' -object memory-backend-file,id=vg-ram,size=512M,mem-path=/tmp/w/guest.ram,share=on -machine memory-backend=vg-ram ');
    expect(commands[1]).toContain(' -object memory-backend-file,id=vg-ram,size=512M,mem-path=/tmp/w/guest.ram,share=off -machine memory-backend=vg-ram ');
  });

  test('a prefix that fails saves nothing: the scenario boots and fails in its own words', async () => {
    const broken = scenarioFrom(`
name: never-ready
guest: { kernel: reference, cmdline: 'print="no prompt here" exit=0' }
timeout: 20
snapshot: { at: ready }
expect:
  - id: ready
    console: 'echo> '
  - send: "x\\n"
  - console: 'echo: x'
`);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = await runScenario(broken).finally(() => warn.mockRestore());
    expect(result.verdicts[0]).toMatchObject({ status: 'failed' });
    expect(result.snapshot).toMatchObject({ resumed: false });
    expect(result.snapshot!.note).toMatch(/could not be saved: expect\[0\] of the prefix failed/);
    expect(snapshotFiles().filter((f) => f.startsWith(result.snapshot!.key))).toEqual([]);
  });
});
