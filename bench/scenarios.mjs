// Scenario overhead and parallelism: 20 reference-guest scenarios through Vitest, against the same 20
// QEMU runs started directly with the argv `vitest-guest qemu-args --standalone` prints; then Vitest's
// default parallelism against one file at a time. Rounds interleave, so machine load hits all alike.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = new URL('..', import.meta.url).pathname;
const KERNEL = join(REPO, 'guests/reference/build/reference.elf');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');
const CLI = join(REPO, 'bin/vitest-guest.js');
const FILES = 4;
const PER_FILE = 5;
const ROUNDS = 3;

/** 4 files of 5 scenarios: each boots, prints, writes two 0x80 codes and exits with a code. */
function writeProject(dir) {
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
        `guest: { kernel: ${KERNEL}, cmdline: 'code=0x10 print="scenario ${f}-${s}" code=0x42 exit=${s}' }`,
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

async function seconds(action) {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The standalone commands, one per scenario, as a user would paste them (QEMU's own exit code says how it ended). */
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

const vitest = (dir, extra) => run('node', [VITEST, 'run', '--config', 'vitest.config.mjs', '--reporter=dot', ...extra], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });

export async function* scenarioBenchmarks() {
  const dir = mkdtempSync(join(tmpdir(), 'vitest-guest-bench-scenarios-'));
  try {
    writeProject(dir);
    const commands = await directCommands(dir);
    if (commands.length !== FILES * PER_FILE) throw new Error(`expected ${FILES * PER_FILE} commands, got ${commands.length}`);
    const direct = [];
    const start = [];
    const sequential = [];
    const sequentialShared = [];
    const parallel = [];
    const concurrent = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Through bash, as printed: each exits with its debug-exit status, which is not an error here.
      direct.push(await seconds(async () => { for (const command of commands) await run('bash', ['-c', `${command} >/dev/null`]).catch(() => undefined); }));
      // What Vitest costs before any test file runs: a filter that matches none.
      start.push(await seconds(() => vitest(dir, ['no-such-file', '--passWithNoTests'])));
      sequential.push(await seconds(() => vitest(dir, ['--no-file-parallelism', '--maxWorkers=1'])));
      // One worker kept for every file: vitest-guest loaded once, not once per file.
      sequentialShared.push(await seconds(() => vitest(dir, ['--no-file-parallelism', '--maxWorkers=1', '--no-isolate'])));
      parallel.push(await seconds(() => vitest(dir, [])));
      concurrent.push(await seconds(() => vitest(dir, ['--sequence.concurrent'])));
    }
    const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
    yield ['scenarios_direct_s', median(direct).toFixed(2)];
    yield ['vitest_start_s', median(start).toFixed(2)];
    yield ['scenarios_vitest_sequential_s', median(sequential).toFixed(2)];
    yield ['scenarios_vitest_sequential_no_isolate_s', median(sequentialShared).toFixed(2)];
    yield ['scenarios_vitest_parallel_s', median(parallel).toFixed(2)];
    yield ['scenarios_vitest_concurrent_s', median(concurrent).toFixed(2)];
    yield ['scenario_overhead_ratio', (median(sequential) / median(direct)).toFixed(2)];
    // The same without Vitest's fixed start: what each scenario costs beyond its QEMU run.
    yield ['scenario_overhead_ms', Math.round(((median(sequential) - median(start) - median(direct)) / (FILES * PER_FILE)) * 1000)];
    yield ['parallel_speedup', (median(sequential) / median(parallel)).toFixed(2)];
    yield ['concurrent_speedup', (median(sequential) / median(concurrent)).toFixed(2)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
