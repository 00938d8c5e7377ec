// The boot timeline record a scenario's test carries to the reporters, made from the finished run.
import type { Scenario } from '../scenario/model.js';
import type { RunResult } from '../runner/run-scenario.js';
import { expectationTitle } from '../match/expectation-title.js';
import { keptEvents, type TimelineFailure, type TimelineRecord } from '../report/timeline-record.js';

/** `failure`: the run's first failure (see firstFailure); none when every test passed. */
export function timelineRecord(scenario: Scenario, yamlFile: string, result: RunResult, failure: TimelineFailure | undefined): TimelineRecord {
  return {
    scenario: scenario.name,
    file: yamlFile,
    machine: { arch: scenario.machine.arch, type: scenario.machine.type },
    ...(failure ? { verdict: 'failed' as const, failure } : { verdict: 'passed' as const }),
    durationMs: result.durationMs,
    stages: result.stages,
    ...keptEvents(result.timeline.events, result.timeline.dropped),
    expectations: scenario.expectations.map(expectationTitle),
    ...(result.runs ? { runs: result.runs.map(({ stages, durationMs }) => ({ stages, durationMs })) } : {}),
  };
}
