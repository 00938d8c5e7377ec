// Scenario overhead and parallelism: 20 reference-guest scenarios through Vitest, against the same 20
// QEMU runs started directly with the argv `vitest-guest qemu-args --standalone` prints; then Vitest's
// default parallelism against one file at a time. Rounds interleave, so machine load hits all alike.
// The scenarios' guests run 85 ms each, so Vitest's own fixed costs weigh as much as the guests; the same
// figures for guests that run half a second (a busy PIT wait, CPU-bound like a real boot under TCG) follow
// as `*_long_*`, and the bare QEMU commands two at a time say what parallelism this machine gives at all.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { statistic } from '../dist/src/match/timing.js';

const run = promisify(execFile);
const REPO = new URL('..', import.meta.url).pathname;
const KERNEL = join(REPO, 'guests/reference/build/x86_64/reference.elf');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const CLI = join(REPO, 'bin/vitest-guest.js');
const FILES = 4;
const PER_FILE = 5;
const ROUNDS = 3;

/**
 * 4 files of 5 scenarios: each boots, prints, writes two 0x80 codes (`work`, if any, between) and exits with a code.
 * @param {string} dir
 * @param {string} work reference guest actions, each followed by a space
 */
function writeProject(dir, work) {
  mkdirSync(join(dir, 'scenarios'));
  // Installed as a user's project has it: vitest-guest inside node_modules (so Vitest loads it as a
  // dependency, not as source to transform), the other packages borrowed from the repo.
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(REPO, 'node_modules'))) symlinkSync(join(REPO, 'node_modules', entry), join(dir, 'node_modules', entry));
  for (const part of ['package.json', 'dist', 'bin', 'schema']) cpSync(join(REPO, part), join(dir, 'node_modules', 'vitest-guest', part), { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const docs = [];
    for (let s = 0; s < PER_FILE; s++) {
      docs.push([
        `name: s${f}-${s}`,
        `guest: { kernel: ${KERNEL}, cmdline: 'code=0x10 print="scenario ${f}-${s}" ${work}code=0x42 exit=${s}' }`,
        'timeout: 20',
        `exit: { debug-exit: ${s} }`,
        'expect:',
        `  - console: scenario ${f}-${s}`,
        '  - code: 0x42',
      ].join('\n'));
    }
    writeFileSync(join(dir, 'scenarios', `bench-${f}.yaml`), docs.join('\n---\n'));
  }
  writeFileSync(join(dir, 'vitest.config.mjs'), [
    `import { defineConfig } from 'vitest/config';`,
    `import { vitestGuest } from 'vitest-guest';`,
    `export default defineConfig({ plugins: [vitestGuest()], test: { include: [] } });`,
  ].join('\n'));
}

/** @param {() => Promise<unknown>} action */
async function seconds(action) {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * The standalone commands, one per scenario, as a user would paste them (QEMU's own exit code says how it ended).
 * @param {string} dir
 */
async function directCommands(dir) {
  const commands = [];
  for (let f = 0; f < FILES; f++) {
    const workdir = join(dir, `direct-${f}`);
    mkdirSync(workdir);
    const { stdout } = await run('node', [CLI, 'qemu-args', join(dir, 'scenarios', `bench-${f}.yaml`), '--standalone', '--workdir', workdir]);
    commands.push(...stdout.split('\n').filter((line) => line && !line.startsWith('#')));
  }
  return commands;
}

/** @type {(dir: string, extra: string[]) => Promise<unknown>} */
const vitest = (dir, extra) => run('node', [VITEST, 'run', '--config', 'vitest.config.mjs', '--reporter=dot', ...extra], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });

/**
 * `parallel` QEMU commands at a time, each through bash as printed.
 * @param {string[]} commands
 * @param {number} parallel
 */
async function runDirect(commands, parallel) {
  const queue = [...commands];
  // Each exits with its debug-exit status, which is not an error here.
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (queue.length > 0) await run('bash', ['-c', `${queue.shift()} >/dev/null </dev/null`]).catch(() => undefined);
  }));
}

/** @param {string} work as writeProject takes it */
async function project(work) {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-bench-scenarios-'));
  writeProject(dir, work);
  const commands = await directCommands(dir);
  if (commands.length !== FILES * PER_FILE) throw new Error(`expected ${FILES * PER_FILE} commands, got ${commands.length}`);
  return { dir, commands };
}

export async function* scenarioBenchmarks() {
  const short = await project('');
  const long = await project('sleep=500 ');
  try {
    /** @type {Record<'direct' | 'direct2' | 'start' | 'sequential' | 'sequentialShared' | 'parallel' | 'concurrent' | 'longDirect' | 'longSequential' | 'longParallel', number[]>} */
    const times = { direct: [], direct2: [], start: [], sequential: [], sequentialShared: [], parallel: [], concurrent: [], longDirect: [], longSequential: [], longParallel: [] };
    /** @type {(name: keyof typeof times, action: () => Promise<unknown>) => Promise<number>} */
    const time = async (name, action) => times[name].push(await seconds(action));
    for (let round = 0; round < ROUNDS; round++) {
      await time('direct', () => runDirect(short.commands, 1));
      await time('direct2', () => runDirect(short.commands, 2));
      // What Vitest costs before any test file runs: a filter that matches none.
      await time('start', () => vitest(short.dir, ['no-such-file', '--passWithNoTests']));
      await time('sequential', () => vitest(short.dir, ['--no-file-parallelism', '--maxWorkers=1']));
      // One worker kept for every file: vitest-guest loaded once, not once per file.
      await time('sequentialShared', () => vitest(short.dir, ['--no-file-parallelism', '--maxWorkers=1', '--no-isolate']));
      await time('parallel', () => vitest(short.dir, []));
      await time('concurrent', () => vitest(short.dir, ['--sequence.concurrent']));
      await time('longDirect', () => runDirect(long.commands, 1));
      await time('longSequential', () => vitest(long.dir, ['--no-file-parallelism', '--maxWorkers=1']));
      await time('longParallel', () => vitest(long.dir, []));
    }
    const m = /** @type {Record<keyof typeof times, number>} */ (Object.fromEntries(Object.entries(times).map(([name, values]) => [name, statistic('median', values)])));
    yield ['scenarios_direct_s', m.direct.toFixed(2)];
    yield ['vitest_start_s', m.start.toFixed(2)];
    yield ['scenarios_vitest_sequential_s', m.sequential.toFixed(2)];
    yield ['scenarios_vitest_sequential_no_isolate_s', m.sequentialShared.toFixed(2)];
    yield ['scenarios_vitest_parallel_s', m.parallel.toFixed(2)];
    yield ['scenarios_vitest_concurrent_s', m.concurrent.toFixed(2)];
    yield ['scenario_overhead_ratio', (m.sequential / m.direct).toFixed(2)];
    // The same without Vitest's fixed start: what each scenario costs beyond its QEMU run.
    yield ['scenario_overhead_ms', Math.round(((m.sequential - m.start - m.direct) / (FILES * PER_FILE)) * 1000)];
    yield ['parallel_speedup', (m.sequential / m.parallel).toFixed(2)];
    yield ['concurrent_speedup', (m.sequential / m.concurrent).toFixed(2)];
    yield ['direct_parallel_speedup', (m.direct / m.direct2).toFixed(2)];
    yield ['scenarios_long_direct_s', m.longDirect.toFixed(2)];
    yield ['scenarios_long_vitest_sequential_s', m.longSequential.toFixed(2)];
    yield ['scenarios_long_vitest_parallel_s', m.longParallel.toFixed(2)];
    yield ['scenario_overhead_ratio_long', (m.longSequential / m.longDirect).toFixed(2)];
    yield ['parallel_speedup_long', (m.longSequential / m.longParallel).toFixed(2)];
  } finally {
    for (const { dir } of [short, long]) rmSync(dir, { recursive: true, force: true });
  }
}
