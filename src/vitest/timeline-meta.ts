// The boot timeline record a scenario's test carries to the reporters, made from the finished run.
import type { Scenario } from '../scenario/model.js';
import type { RunResult } from '../runner/run-scenario.js';
import { expectationTitle } from '../match/expectation-title.js';
import { keptEvents, type TimelineRecord } from '../report/timeline-record.js';

export function timelineRecord(scenario: Scenario, yamlFile: string, result: RunResult, verdict: TimelineRecord['verdict']): TimelineRecord {
  return {
    scenario: scenario.name,
    file: yamlFile,
    verdict,
    durationMs: result.durationMs,
    stages: result.stages,
    ...keptEvents(result.timeline.events, result.timeline.dropped),
    expectations: scenario.expectations.map(expectationTitle),
    ...(result.runs ? { runs: result.runs.map(({ stages, durationMs }) => ({ stages, durationMs })) } : {}),
  };
}
