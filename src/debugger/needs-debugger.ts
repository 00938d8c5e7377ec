// Whether a scenario debugs at all: apart from the plan, so a run that does not loads none of the debugger.
import type { Expectation, Fault } from '../scenario/model.js';

export function needsDebugger(scenario: { expectations: Expectation[]; faults: Fault[] }): boolean {
  return scenario.faults.length > 0 || scenario.expectations.some((e) => e.kind === 'breakpoint' || e.kind === 'watch');
}
