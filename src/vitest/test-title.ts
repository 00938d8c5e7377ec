// The title of a scenario's test for each verdict, as the generated module names it.
import type { Scenario } from '../scenario/model.js';
import type { VerdictKey } from '../match/scenario-monitor.js';
import { crashTitle, expectationTitle, exitTitle } from '../match/expectation-title.js';
import { timingTitle } from '../match/timing.js';

export function testTitle(scenario: Scenario, key: VerdictKey): string {
  if (key === 'exit') return exitTitle(scenario.exit!);
  if (key === 'crash') return crashTitle(scenario.crash);
  if (typeof key === 'string') return timingTitle(scenario.timing[Number(key.slice('timing-'.length))]!);
  return expectationTitle(scenario.expectations[key]!);
}
