// What coverage and profiles cost: Debian's Linux booted to its busybox shell, which runs a command, with and
// without each (the whole call, reading the symbols and writing the tracefile included), and the runner's memory while the reference
// guest runs a hot loop for a minute with both on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { runInstrumented } from '../dist/src/runner/instrumented-run.js';
import { statistic } from '../dist/src/match/timing.js';
import { benchScenario } from './scenario.mjs';

const LINUX = new URL('../guests/linux/build/', import.meta.url).pathname;
const REFERENCE = new URL('../guests/reference/build/x86_64/reference.elf', import.meta.url).pathname;
const ROUNDS = 3;
/** About a minute of guest_loop_target calls under TCG here (some 70 million a second). */
const HOT_LOOP_CALLS = 4_000_000_000;

/** @param {string} extra */
function linuxScenario(extra) {
  return benchScenario('bench.yaml', `
name: linux
guest: { kernel: ${LINUX}vmlinux, initrd: ${LINUX}initramfs.cpio, symbols: ${LINUX}System.map, cmdline: 'console=ttyS0 nokaslr panic=-1' }
machine: { memory: 512M }
timeout: 120
expect:
  - console: 'vitest-guest: userspace up'
  - send: "echo shell-$((6 * 7))\\n"
  - console: { regex: '^shell-42$' }
${extra}`);
}

/**
 * Wall ms of one run, checked to have passed (and to have measured what it was asked to).
 * @param {string} extra @param {string} dir
 */
async function timedRun(extra, dir) {
  const scenario = linuxScenario(extra);
  const start = performance.now();
  const result = extra === '' ? await runScenario(scenario) : await runInstrumented(scenario, {}, { dir, name: 'bench' });
  const ms = performance.now() - start;
  if (result.verdicts.some((v) => v.status !== 'passed')) throw new Error(`bench run failed: ${JSON.stringify(result.verdicts)}`);
  if (extra !== '' && !(/** @type {any} */ (result).coverage?.summary ?? /** @type {any} */ (result).profile?.sections.length)) throw new Error(`bench run measured nothing: ${result.pluginFallback ?? ''}`);
  return ms;
}

/** @returns {AsyncGenerator<[string, string]>} */
export async function* coverageBenchmarks() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-coverage-'));
  try {
    const plain = [];
    const coverage = [];
    const profile = [];
    // Interleaved, so a busy moment of the machine weighs on all three alike.
    for (let round = 0; round < ROUNDS; round++) {
      plain.push(await timedRun('', dir));
      coverage.push(await timedRun('coverage: true', dir));
      profile.push(await timedRun('profile: true', dir));
    }
    const median = (/** @type {number[]} */ values) => statistic('median', values);
    yield ['linux_boot_ms', median(plain).toFixed(0)];
    yield ['coverage_overhead_ratio', (median(coverage) / median(plain)).toFixed(2)];
    yield ['profile_overhead_ratio', (median(profile) / median(plain)).toFixed(2)];
    yield* hotLoopMemory(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The runner's resident memory each second of a minute-long hot loop with coverage and profile on: after the
 * first seconds (the boot's blocks, the symbols) it should stay flat whatever the guest runs.
 * @param {string} dir
 * @returns {AsyncGenerator<[string, string]>}
 */
async function* hotLoopMemory(dir) {
  const scenario = benchScenario('bench.yaml', `
name: hot-loop
guest: { kernel: ${REFERENCE}, cmdline: 'loop=${HOT_LOOP_CALLS} exit=0' }
timeout: 300
exit: { debug-exit: 0 }
coverage: true
profile: { top: 3 }
`);
  /** @type {number[]} */
  const rss = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss / 2 ** 20), 1000);
  const start = performance.now();
  let result;
  try {
    result = await runInstrumented(scenario, {}, { dir, name: 'hot-loop' });
  } finally {
    clearInterval(sampler);
  }
  if (result.exitVerdict.status !== 'passed' || !result.coverage?.summary) throw new Error(`hot loop run failed: ${JSON.stringify(result.exitVerdict)} ${result.coverage?.error ?? ''}`);
  const settled = rss.slice(5);
  yield ['hot_loop_s', ((performance.now() - start) / 1000).toFixed(0)];
  yield ['hot_loop_rss_mb_at_5s', (settled[0] ?? NaN).toFixed(0)];
  yield ['hot_loop_rss_mb_max_after_5s', Math.max(...settled).toFixed(0)];
  yield ['hot_loop_rss_mb_at_end', (rss.at(-1) ?? NaN).toFixed(0)];
}
