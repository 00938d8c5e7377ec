// Runs in the Vitest worker: one scenario run shared by the tests of its describe block.
import type { TestContext } from 'vitest';
import type { Scenario } from '../scenario/model.js';
import { formatIssue, type ScenarioIssue } from '../scenario/issues.js';
import type { RunResult } from '../runner/run-scenario.js';
import { hottestInTiming, runInstrumented, type CoverageOutput, type InstrumentedRunResult } from '../runner/instrumented-run.js';
import { instrumentationKeys, instrumentationLocation, instrumentationTitle, instrumentationVerdict, isInstrumentationKey, type InstrumentationKey } from './instrumentation-tests.js';
import { runRepeated } from '../runner/run-repeated.js';
import { UNDECIDED_REASON, type Verdict } from '../match/verdict.js';
import type { VerdictKey } from '../match/scenario-monitor.js';
import { errorAt, failureMessage } from './failure-message.js';
import { stageTable } from '../report/stage-table.js';
import type { ReportedCases } from './task-meta.js';
import { timelineRecord } from './timeline-meta.js';
import { firstFailure } from '../report/timeline-record.js';
import { testTitle } from './test-title.js';
import { DEFAULT_MISSING_GUESTS_HINT, missingGuestFiles, missingGuestsMessage, type MissingGuestsPolicy } from './missing-guests.js';

/** Vitest's own timeout stays above the scenario's so the runner, not Vitest, reports what was missing. */
const VITEST_TIMEOUT_MARGIN_MS = 15_000;

/** A test of the scenario: an expectation's, the exit's, a timing assertion's, the crash's, or coverage's and profile's. */
type TestKey = VerdictKey | InstrumentationKey;

export function scenarioRuntime(scenario: Scenario, yamlFile: string, missingGuests: MissingGuestsPolicy = { mode: 'fail', hint: DEFAULT_MISSING_GUESTS_HINT }, coverageOutput: CoverageOutput = { dir: 'reports/coverage', name: scenario.name }) {
  const controller = new AbortController();
  const waiting = new Map<VerdictKey, ((v: Verdict) => void)[]>();
  let run: Promise<InstrumentedRunResult> | undefined;
  let finished: InstrumentedRunResult | undefined;
  const caseCarriers = carriersOfCases(scenario);
  const keys = verdictKeys(scenario);
  let timelineGiven = false;
  // Looked for once, before the run: each test of the scenario is skipped or failed with the same reason.
  let missingFiles: Promise<string | undefined> | undefined;
  let skipSaid = false;
  const missingFilesReason = (): Promise<string | undefined> => (missingFiles ??= missingGuestFiles(scenario)
    .then((missing) => (missing.length > 0 ? missingGuestsMessage(missing, missingGuests.hint) : undefined)));

  const start = (): Promise<InstrumentedRunResult> => {
    // Repeated boots are judged together, so their verdicts come at the end of the last run.
    run ??= scenario.repeat > 1 ? runRepeated(scenario, { signal: controller.signal }).then((result) => (finished = result)) : runInstrumented(scenario, {
      signal: controller.signal,
      onVerdict: (key, verdict) => {
        for (const resolveVerdict of waiting.get(key) ?? []) resolveVerdict(verdict);
        waiting.delete(key);
      },
    }, coverageOutput).then((result) => (finished = result));
    return run;
  };

  const verdictOf = (key: TestKey): Promise<{ verdict: Verdict; early: boolean }> => {
    if (isInstrumentationKey(key)) return start().then((result) => ({ verdict: resultVerdict(result, key), early: false }));
    const settled = new Promise<Verdict>((resolveVerdict) => waiting.set(key, [...(waiting.get(key) ?? []), resolveVerdict]));
    return Promise.race([
      settled.then((verdict) => ({ verdict, early: true })),
      start().then((result) => ({ verdict: resultVerdict(result, key), early: false })),
    ]);
  };

  return {
    // Repeated runs may each take the scenario's timeout, one after the other in the worst case.
    suiteOptions: { timeout: scenario.timeout * scenario.repeat * 1000 + VITEST_TIMEOUT_MARGIN_MS },
    testOptions: { timeout: scenario.timeout * scenario.repeat * 1000 + VITEST_TIMEOUT_MARGIN_MS },

    /** Waits for one expectation's verdict and turns a failure into an error located in the YAML. */
    async check(key: TestKey, ctx: TestContext): Promise<void> {
      ctx.signal.addEventListener('abort', () => controller.abort(), { once: true });
      const location = isInstrumentationKey(key) ? instrumentationLocation(scenario, key) : key === 'exit' ? scenario.exit!.location : key === 'crash' ? scenario.crash.location
        : typeof key === 'string' ? scenario.timing[timingIndex(key)]!.location : scenario.expectations[key]!.location;
      const missing = await missingFilesReason();
      if (missing !== undefined) {
        if (missingGuests.mode === 'fail') throw errorAt(missing, yamlFile, scenario.location);
        // Said once on stderr too: a skipped test's note shows only in verbose reporters.
        if (!skipSaid) console.warn(`vitest-guest: skipped scenario "${scenario.name}": ${missing}`);
        skipSaid = true;
        ctx.skip(missing);
      }
      let { verdict } = await verdictOf(key);
      if (verdict.status === 'pending') verdict = { status: 'failed', t: 0, reason: UNDECIDED_REASON };
      const detail = verdict.status === 'passed' ? verdict.detail : verdict.reason;
      ctx.task.meta.vitestGuest = { location, machine: { arch: scenario.machine.arch, type: scenario.machine.type }, status: verdict.status, detail, ...(typeof key === 'string' && (key.startsWith('timing-') || key === 'coverage' || key === 'profile') ? { measured: true as const } : {}) };
      const format = typeof key === 'number' ? caseCarriers.get(key) : undefined;
      if (format) {
        // The guest's cases are all known only at the end of the run, whenever this verdict came.
        const result = finished ?? (await start());
        ctx.task.meta.vitestGuest.cases = reportedCases(result, format);
      }
      if (!timelineGiven && (finished || verdict.status === 'failed' || key === keys.at(-1))) {
        // One test carries the run's timeline, so meta stays small: the first to end once the run is
        // over (a failure waits for that anyway); the scenario's last test waits so that one does.
        const result = finished ?? (await start());
        timelineGiven = true;
        const tests = keys.map((k) => ({ title: isInstrumentationKey(k) ? instrumentationTitle(scenario, k) : testTitle(scenario, k), verdict: resultVerdict(result, k) }));
        ctx.task.meta.vitestGuest.timeline = timelineRecord(scenario, yamlFile, result, firstFailure(tests));
      }
      if (verdict.status === 'failed') {
        // A failure is only reported once the run is over, so its context (console tail, timeline) is complete.
        const result = finished ?? (await start());
        const stages = stageTable(result.stages, result.finish.t);
        if (stages.length > 0) ctx.task.meta.vitestGuest.stages = stages;
        const hottest = typeof key === 'string' && key.startsWith('timing-') ? hottestInTiming(scenario, result, Number(key.slice('timing-'.length))) : undefined;
        const reason = hottest ? `${verdict.reason}\n${hottest}` : verdict.reason;
        ctx.task.meta.vitestGuest.detail = reason;
        throw errorAt(failureMessage(reason, location, result), yamlFile, location);
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

/** The scenario's tests, in the order generate-module declares them. */
function verdictKeys(scenario: Scenario): TestKey[] {
  return [
    ...scenario.expectations.map((e) => e.index),
    ...(scenario.exit ? ['exit' as const] : []),
    ...scenario.timing.map((_, i) => `timing-${i}` as const),
    ...(scenario.crash.kind === 'expected' ? ['crash' as const] : []),
    ...instrumentationKeys(scenario),
  ];
}

function timingIndex(key: `timing-${number}`): number {
  return Number(key.slice('timing-'.length));
}

function resultVerdict(result: InstrumentedRunResult, key: TestKey): Verdict {
  if (isInstrumentationKey(key)) return instrumentationVerdict(result, key);
  if (key === 'exit') return result.exitVerdict;
  if (key === 'crash') return result.crashVerdict;
  return typeof key === 'string' ? result.timingVerdicts[timingIndex(key)]! : result.verdicts[key]!;
}

/**
 * Each format's guest cases are reported once, under the scenario's first `uktest` (or `ktap`)
 * expectation, whatever that expectation selects: every case that ran gets its line.
 */
function carriersOfCases(scenario: Scenario): Map<number, string> {
  const carriers = new Map<number, string>();
  const seen = new Set<string>();
  for (const e of scenario.expectations) {
    if (e.kind !== 'results' || seen.has(e.format)) continue;
    seen.add(e.format);
    carriers.set(e.index, e.format);
  }
  return carriers;
}

function reportedCases(result: RunResult, format: string): ReportedCases {
  const cases = result.cases.filter((c) => c.format === format);
  return { format, list: cases.map(({ suite, case: name, status, failures, measurement }) => ({ suite, case: name, status, failures, ...(measurement !== undefined ? { measurement } : {}) })), dropped: result.droppedCases };
}

/** The test standing for a broken YAML document: fails with every problem found in it. */
export function invalidDocument(issues: ScenarioIssue[], yamlFile: string): never {
  throw errorAt(issues.map(formatIssue).join('\n'), yamlFile, issues[0]!);
}
