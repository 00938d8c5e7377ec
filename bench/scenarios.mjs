// Scenario overhead and parallelism: 20 reference-guest scenarios through Vitest, against the same 20
// QEMU runs started directly with the argv `vitest-guest qemu-args --standalone` prints; then Vitest's
// default parallelism against one file at a time. Rounds interleave, so machine load hits all alike.
// The scenarios' guests run 85 ms each, so Vitest's own fixed costs weigh as much as the guests; the same
// figures for guests that run half a second (a busy PIT wait, CPU-bound like a real boot under TCG) follow
// as `*_long_*`, and the bare QEMU commands two at a time (short and long) say what parallelism this machine
// gives at all.
// What is vitest-guest's own is measured apart: loading it into a worker (test files that import its
// runtime against the same files without it) and each scenario's cost in one worker beyond its QEMU run.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { statistic } from '../dist/src/match/timing.js';
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { benchScenario } from './scenario.mjs';

const run = promisify(execFile);
const REPO = new URL('..', import.meta.url).pathname;
const KERNEL = join(REPO, 'guests/reference/build/x86_64/reference.elf');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const CLI = join(REPO, 'bin/vitest-guest.js');
const FILES = 4;
const PER_FILE = 5;
const ROUNDS = 3;
/**
 * The worker-load runs are short (~1.5 s) and their difference small: run this many pairs a round, so that
 * worker_load_ms is the median of 9 pairwise differences rather than of 3.
 */
const LOAD_PAIRS = 3;
/** Test files of one empty test each, with and without vitest-guest's runtime loaded: one worker each. */
const LOAD_FILES = 8;

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
  // What a scenario file's worker loads of vitest-guest: the runtime its generated module imports.
  const runtime = join(dir, 'node_modules/vitest-guest/dist/src/vitest/runtime.js');
  mkdirSync(join(dir, 'load'));
  for (let i = 0; i < LOAD_FILES; i++) {
    writeFileSync(join(dir, 'load', `bare-${i}.test.mjs`), `import { test } from 'vitest';\nimport { writeFileSync } from 'node:fs';\ntest('empty', () => {});\n`);
    // Also timed inside the worker, which machine load sways less than two whole runs' difference.
    writeFileSync(join(dir, 'load', `guest-${i}.test.mjs`), [
      `import { test } from 'vitest';`,
      `import { writeFileSync } from 'node:fs';`,
      `const start = performance.now();`,
      `await import(${JSON.stringify(runtime)});`,
      `writeFileSync(${JSON.stringify(join(dir, 'load', `guest-${i}.ms`))}, String(performance.now() - start));`,
      `test('empty', () => {});`,
    ].join('\n'));
  }
  writeFileSync(join(dir, 'vitest.load.config.mjs'), [
    `import { defineConfig } from 'vitest/config';`,
    `export default defineConfig({ test: { include: ['load/*.test.mjs'] } });`,
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

/** @type {(dir: string, extra: string[], config?: string) => Promise<unknown>} */
const vitest = (dir, extra, config = 'vitest.config.mjs') => run('node', [VITEST, 'run', '--config', config, '--reporter=dot', ...extra], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });
/** One worker for every scenario file. */
const ONE_WORKER = ['--no-file-parallelism', '--maxWorkers=1', '--no-isolate'];

/**
 * `parallel` QEMU commands at a time, each through bash as printed (`exec`: QEMU takes bash's process, as
 * the runner spawns QEMU itself).
 * @param {string[]} commands
 * @param {number} parallel
 */
async function runDirect(commands, parallel) {
  const queue = [...commands];
  // Each exits with its debug-exit status, which is not an error here.
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (queue.length > 0) await run('bash', ['-c', `exec ${queue.shift()} >/dev/null </dev/null`]).catch(() => undefined);
  }));
}

/**
 * The runner's own CPU time for each scenario of the file, run in this process: unlike the wall-time
 * differences above, little moved by other jobs on the machine.
 * @param {string} dir
 */
async function runnerCpuMs(dir) {
  const docs = readFileSync(join(dir, 'scenarios', 'bench-0.yaml'), 'utf8').split('\n---\n');
  const cpu = [];
  for (const doc of docs) {
    const before = process.cpuUsage();
    const result = await runScenario(benchScenario('bench-0.yaml', doc));
    const used = process.cpuUsage(before);
    if (result.verdicts.some((v) => v.status !== 'passed')) throw new Error(`bench: a scenario failed in process: ${JSON.stringify(result.verdicts)}`);
    cpu.push((used.user + used.system) / 1000);
  }
  return cpu;
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
    /** @type {Record<'direct' | 'direct2' | 'start' | 'loadBare' | 'loadGuest' | 'collect' | 'sequential' | 'sequentialShared' | 'parallel' | 'concurrent' | 'longDirect' | 'longDirect2' | 'longSequential' | 'longParallel', number[]>} */
    const times = { direct: [], direct2: [], start: [], loadBare: [], loadGuest: [], collect: [], sequential: [], sequentialShared: [], parallel: [], concurrent: [], longDirect: [], longDirect2: [], longSequential: [], longParallel: [] };
    /** @type {(name: keyof typeof times, action: () => Promise<unknown>) => Promise<number>} */
    const time = async (name, action) => times[name].push(await seconds(action));
    /** @type {number[]} ms each guest-*.test.mjs took to import the runtime */
    const imports = [];
    /** @type {number[]} */
    const runnerCpu = [];
    for (let round = 0; round < ROUNDS; round++) {
      await time('direct', () => runDirect(short.commands, 1));
      await time('direct2', () => runDirect(short.commands, 2));
      // What Vitest costs before any test file runs: a filter that matches none.
      await time('start', () => vitest(short.dir, ['no-such-file', '--passWithNoTests']));
      // A fresh worker per file, one file at a time: the same files with and without the runtime.
      for (let pair = 0; pair < LOAD_PAIRS; pair++) {
        await time('loadBare', () => vitest(short.dir, ['bare-', '--no-file-parallelism', '--maxWorkers=1', '--isolate'], 'vitest.load.config.mjs'));
        await time('loadGuest', () => vitest(short.dir, ['guest-', '--no-file-parallelism', '--maxWorkers=1', '--isolate'], 'vitest.load.config.mjs'));
        for (let i = 0; i < LOAD_FILES; i++) imports.push(Number(readFileSync(join(short.dir, 'load', `guest-${i}.ms`), 'utf8')));
      }
      // Everything but the scenarios' runs: Vitest's start, the worker, the files loaded and their tests skipped.
      await time('collect', () => vitest(short.dir, [...ONE_WORKER, '--testNamePattern=no-such-test', '--passWithNoTests']));
      await time('sequential', () => vitest(short.dir, ['--no-file-parallelism', '--maxWorkers=1']));
      // One worker kept for every file: vitest-guest loaded once, not once per file.
      await time('sequentialShared', () => vitest(short.dir, ONE_WORKER));
      runnerCpu.push(...await runnerCpuMs(short.dir));
      await time('parallel', () => vitest(short.dir, []));
      await time('concurrent', () => vitest(short.dir, ['--sequence.concurrent']));
      await time('longDirect', () => runDirect(long.commands, 1));
      // What two at a time gives the same guests with nothing of Vitest's or ours: the ceiling of parallel_speedup_long.
      await time('longDirect2', () => runDirect(long.commands, 2));
      await time('longSequential', () => vitest(long.dir, ['--no-file-parallelism', '--maxWorkers=1']));
      await time('longParallel', () => vitest(long.dir, []));
    }
    const m = /** @type {Record<keyof typeof times, number>} */ (Object.fromEntries(Object.entries(times).map(([name, values]) => [name, statistic('median', values)])));
    // Differences of runs taken side by side, then their median: load that drifts between rounds cancels out
    // within a pair, where a difference of medians mixes rounds taken under different load.
    /** @type {(runs: number[], ...less: number[][]) => number} the median over i of runs[i] less each less[][i] */
    const pairwise = (runs, ...less) => statistic('median', runs.map((run, i) => less.reduce((rest, other) => rest - /** @type {number} */ (other[i]), run)));
    yield ['scenarios_direct_s', m.direct.toFixed(2)];
    yield ['vitest_start_s', m.start.toFixed(2)];
    yield ['scenarios_vitest_sequential_s', m.sequential.toFixed(2)];
    yield ['scenarios_vitest_sequential_no_isolate_s', m.sequentialShared.toFixed(2)];
    yield ['scenarios_vitest_parallel_s', m.parallel.toFixed(2)];
    yield ['scenarios_vitest_concurrent_s', m.concurrent.toFixed(2)];
    yield ['scenario_overhead_ratio', (m.sequential / m.direct).toFixed(2)];
    // In one worker, less the same run with every test filtered out: what each scenario costs beyond its QEMU run.
    yield ['scenario_overhead_ms', Math.round((pairwise(times.sequentialShared, times.collect, times.direct) / (FILES * PER_FILE)) * 1000)];
    yield ['worker_load_ms', Math.round((pairwise(times.loadGuest, times.loadBare) / LOAD_FILES) * 1000)];
    yield ['worker_import_ms', Math.round(statistic('median', imports))];
    yield ['scenario_cpu_ms', statistic('median', runnerCpu).toFixed(1)];
    yield ['parallel_speedup', (m.sequential / m.parallel).toFixed(2)];
    yield ['concurrent_speedup', (m.sequential / m.concurrent).toFixed(2)];
    yield ['direct_parallel_speedup', (m.direct / m.direct2).toFixed(2)];
    yield ['scenarios_long_direct_s', m.longDirect.toFixed(2)];
    yield ['scenarios_long_vitest_sequential_s', m.longSequential.toFixed(2)];
    yield ['scenarios_long_vitest_parallel_s', m.longParallel.toFixed(2)];
    yield ['scenario_overhead_ratio_long', (m.longSequential / m.longDirect).toFixed(2)];
    yield ['parallel_speedup_long', (m.longSequential / m.longParallel).toFixed(2)];
    yield ['direct_parallel_speedup_long', (m.longDirect / m.longDirect2).toFixed(2)];
  } finally {
    for (const { dir } of [short, long]) rmSync(dir, { recursive: true, force: true });
  }
}
