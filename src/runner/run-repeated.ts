// `repeat: N`: the scenario booted N times, in parallel up to one run per core, judged as one.
import { availableParallelism } from 'node:os';
import type { Scenario } from '../scenario/model.js';
import type { Verdict } from '../match/verdict.js';
import { judgeMeasurements } from '../match/timing.js';
import { runScenario, type RunOptions, type RunResult } from './run-scenario.js';
import { loadBaselines } from './baselines.js';

/**
 * Every run must meet every expectation (a failure names its run); timing assertions are judged on
 * their statistic over the runs, with the spread. The result's context (timeline, console) is the
 * first failing run's, or the last run's.
 */
export async function runRepeated(scenario: Scenario, options: Pick<RunOptions, 'signal'> = {}): Promise<RunResult> {
  const total = scenario.repeat;
  // Read once: every run and the judgement over them compare with the same figures.
  const baselines = await loadBaselines(scenario);
  const results: RunResult[] = new Array(total);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total && !options.signal?.aborted) {
      const index = next++;
      results[index] = await runScenario(scenario, { signal: options.signal, baselines });
    }
  };
  await Promise.all(Array.from({ length: Math.min(total, availableParallelism()) }, worker));
  const done = results.filter((r): r is RunResult => r !== undefined);
  const failedRun = done.find((r) => [...r.verdicts, r.exitVerdict, r.crashVerdict].some((v) => v.status === 'failed'));
  const base = failedRun ?? done.at(-1)!;
  const combine = (pick: (r: RunResult) => Verdict): Verdict => combined(done.map(pick), total);
  return {
    ...base,
    verdicts: scenario.expectations.map((_, i) => combine((r) => r.verdicts[i]!)),
    exitVerdict: combine((r) => r.exitVerdict),
    crashVerdict: combine((r) => r.crashVerdict),
    timingVerdicts: scenario.timing.map((a, i) => judgeMeasurements(a, done.map((r) => r.timingMeasurements[i]!), base.finish.t, baselines[i])),
    runs: done.map(({ stages, timingMeasurements, durationMs }) => ({ stages, timingMeasurements, durationMs })),
  };
}

/** Failed if any run failed (naming it); passed when all did; pending when none decided it. */
function combined(verdicts: Verdict[], total: number): Verdict {
  const failed = verdicts.findIndex((v) => v.status === 'failed');
  if (failed !== -1) {
    const v = verdicts[failed] as Extract<Verdict, { status: 'failed' }>;
    return { ...v, reason: `run ${failed + 1} of ${total}: ${v.reason}` };
  }
  if (verdicts.length < total || verdicts.some((v) => v.status === 'pending')) {
    return verdicts.every((v) => v.status === 'pending') ? { status: 'pending' } : { status: 'failed', t: 0, reason: `decided in only ${verdicts.filter((v) => v.status === 'passed').length} of ${total} runs` };
  }
  const last = verdicts.at(-1) as Extract<Verdict, { status: 'passed' }>;
  return { ...last, detail: `in all ${total} runs; the last: ${last.detail}` };
}
