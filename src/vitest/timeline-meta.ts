// The boot timeline record a scenario's test carries to the reporters, made from the finished run.
import type { Scenario } from '../scenario/model.js';
import type { InstrumentedRunResult } from '../runner/instrumented-run.js';
import { expectationTitle } from '../match/expectation-title.js';
import { keptEvents, type ProfileChart, type TimelineFailure, type TimelineRecord } from '../report/timeline-record.js';

/** `failure`: the run's first failure (see firstFailure); none when every test passed. */
export function timelineRecord(scenario: Scenario, yamlFile: string, result: InstrumentedRunResult, failure: TimelineFailure | undefined): TimelineRecord {
  const profiles = profileCharts(scenario, result);
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
    ...(profiles.length > 0 ? { profiles } : {}),
  };
}

/** With `profile:`: the whole run's ranking, and one per stage the run went through, whether or not `stages:` asked. */
function profileCharts(scenario: Scenario, result: InstrumentedRunResult): ProfileChart[] {
  const whole = result.profile?.sections[0];
  const timeline = result.profileTimeline;
  if (!scenario.profile || !whole || !timeline) return [];
  const stages = result.stages.map((span) => ({ title: `stage ${span.stage}`, ...timeline.profile(span.start, span.end ?? result.finish.t, scenario.profile!.top) }));
  return [{ title: whole.title, ...whole.profile }, ...stages];
}
