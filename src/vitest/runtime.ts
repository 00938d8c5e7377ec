// Runs in the Vitest worker: one scenario run shared by the tests of its describe block.
import type { TestContext } from 'vitest';
import type { Scenario } from '../scenario/model.js';
import { formatIssue, type ScenarioIssue } from '../scenario/issues.js';
import { runScenario, type RunResult } from '../runner/run-scenario.js';
import type { Verdict } from '../match/verdict.js';
import { errorAt, failureMessage } from './failure-message.js';
import './task-meta.js';

/** Vitest's own timeout stays above the scenario's so the runner, not Vitest, reports what was missing. */
const VITEST_TIMEOUT_MARGIN_MS = 15_000;

export function scenarioRuntime(scenario: Scenario, yamlFile: string) {
  const controller = new AbortController();
  const waiting = new Map<number | 'exit', ((v: Verdict) => void)[]>();
  let run: Promise<RunResult> | undefined;
  let finished: RunResult | undefined;

  const start = (): Promise<RunResult> => {
    run ??= runScenario(scenario, {
      signal: controller.signal,
      onVerdict: (key, verdict) => {
        for (const resolveVerdict of waiting.get(key) ?? []) resolveVerdict(verdict);
        waiting.delete(key);
      },
    }).then((result) => (finished = result));
    return run;
  };

  const verdictOf = (key: number | 'exit'): Promise<{ verdict: Verdict; early: boolean }> => {
    const settled = new Promise<Verdict>((resolveVerdict) => waiting.set(key, [...(waiting.get(key) ?? []), resolveVerdict]));
    return Promise.race([
      settled.then((verdict) => ({ verdict, early: true })),
      start().then((result) => ({ verdict: key === 'exit' ? result.exitVerdict : result.verdicts[key]!, early: false })),
    ]);
  };

  return {
    suiteOptions: { timeout: scenario.timeout * 1000 + VITEST_TIMEOUT_MARGIN_MS },
    testOptions: { timeout: scenario.timeout * 1000 + VITEST_TIMEOUT_MARGIN_MS },

    /** Waits for one expectation's verdict and turns a failure into an error located in the YAML. */
    async check(key: number | 'exit', ctx: TestContext): Promise<void> {
      ctx.signal.addEventListener('abort', () => controller.abort(), { once: true });
      const location = key === 'exit' ? scenario.exit!.location : scenario.expectations[key]!.location;
      let { verdict } = await verdictOf(key);
      if (verdict.status === 'pending') verdict = { status: 'failed', t: 0, reason: 'the run ended without deciding this expectation' };
      const detail = verdict.status === 'passed' ? verdict.detail : verdict.reason;
      ctx.task.meta.vitestGuest = { location, status: verdict.status, detail };
      if (verdict.status === 'failed') {
        // A failure is only reported once the run is over, so its context (console tail, timeline) is complete.
        const result = finished ?? (await start());
        throw errorAt(failureMessage(verdict.reason, location, result), yamlFile, location);
      }
    },

    /** Ends the run (if tests were filtered out, nobody waits for the rest) and cleans up. */
    async stop(): Promise<void> {
      if (!run) return;
      controller.abort();
      await run;
    },
  };
}

/** The test standing for a broken YAML document: fails with every problem found in it. */
export function invalidDocument(issues: ScenarioIssue[], yamlFile: string): never {
  throw errorAt(issues.map(formatIssue).join('\n'), yamlFile, issues[0]!);
}
