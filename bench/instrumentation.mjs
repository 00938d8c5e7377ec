// Counting without stopping: the reference guest's loop counted through the TCG plugin, and the same count
// through the GDB stub (a shorter loop: the stub stops the guest at every call) in the same run.
import { runScenario } from '../dist/src/runner/run-scenario.js';
import { statistic } from '../dist/src/match/timing.js';
import { PLUGIN_ENV } from '../dist/src/plugin/plugin-probe.js';
import { benchScenario } from './scenario.mjs';
import { coverageBenchmarks } from './coverage.mjs';

const KERNEL = new URL('../guests/reference/build/x86_64/reference.elf', import.meta.url).pathname;
const PLUGIN_CALLS = 10_000_000;
const STUB_CALLS = 3000;
const ROUNDS = 5;

/** @param {number} calls @param {boolean} counted @param {boolean} [followed] a console line `after:` the count */
function loopScenario(calls, counted, followed = false) {
  return benchScenario('bench.yaml', `
name: loop
guest: { kernel: ${KERNEL}, cmdline: 'loop=${calls} exit=0' }
timeout: 60
exit: { debug-exit: 0 }
${counted ? `expect:\n  - id: counted\n    breakpoint: guest_loop_target\n    count: ${calls}` : ''}
${followed ? `  - console: 'loop done: ${calls} calls'\n    after: counted` : ''}
`);
}

/**
 * Calls counted per second, from the resume to the time the last of them was counted.
 * @param {number} calls
 * @param {boolean} [followed]
 */
async function countedRate(calls, followed = false) {
  const result = await runScenario(loopScenario(calls, true, followed));
  if (result.verdicts.some((v) => v.status !== 'passed') || result.exitVerdict.status !== 'passed') throw new Error(`bench run failed: ${JSON.stringify(result.verdicts)}`);
  const last = result.timeline.events.findLast((e) => e.kind === 'hit');
  if (!last) throw new Error('bench run left no hit event');
  return { rate: calls / (last.t / 1000), wallMs: result.durationMs, usedPlugin: result.command?.args.includes('-plugin') ?? false };
}

/** @param {string | undefined} value */
function setPlugin(value) {
  if (value === undefined) delete process.env[PLUGIN_ENV];
  else process.env[PLUGIN_ENV] = value;
}

/** @returns {AsyncGenerator<[string, string]>} */
export async function* instrumentationBenchmarks() {
  const before = process.env[PLUGIN_ENV];
  const plugin = [];
  const followed = [];
  const stub = [];
  const bare = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      setPlugin(before);
      const counted = await countedRate(PLUGIN_CALLS);
      if (!counted.usedPlugin) throw new Error('the plugin was not used: build it with `make -C plugin`');
      plugin.push(counted);
      followed.push((await countedRate(PLUGIN_CALLS, true)).wallMs);
      bare.push((await runScenario(loopScenario(PLUGIN_CALLS, false))).durationMs);
      setPlugin('off');
      stub.push((await countedRate(STUB_CALLS)).rate);
    }
  } finally {
    setPlugin(before);
  }
  const median = (/** @type {number[]} */ values) => statistic('median', values);
  yield ['counted_hits_per_s', String(Math.round(median(plugin.map((p) => p.rate))))];
  yield ['counted_run_ms', median(plugin.map((p) => p.wallMs)).toFixed(0)];
  yield ['counted_followed_run_ms', median(followed).toFixed(0)];
  yield ['uncounted_run_ms', median(bare).toFixed(0)];
  yield ['stub_hits_per_s', String(Math.round(median(stub)))];
  yield* coverageBenchmarks();
}
