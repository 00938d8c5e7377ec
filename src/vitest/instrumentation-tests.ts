// The tests `coverage:` and `profile:` add to a scenario: their keys, titles, where they stand in the YAML,
// and their verdicts from an instrumented run.
import type { Scenario, SourceLocation } from '../scenario/model.js';
import type { Verdict } from '../match/verdict.js';
import type { InstrumentedRunResult, ProfileSection } from '../runner/instrumented-run.js';

export type InstrumentationKey = 'coverage' | `coverage-${number}` | 'profile';

export function instrumentationKeys(scenario: Scenario): InstrumentationKey[] {
  return [
    ...(scenario.coverage ? ['coverage' as const, ...scenario.coverage.checks.map((_, i) => `coverage-${i}` as const)] : []),
    ...(scenario.profile ? ['profile' as const] : []),
  ];
}

export function isInstrumentationKey(key: unknown): key is InstrumentationKey {
  return key === 'coverage' || key === 'profile' || (typeof key === 'string' && key.startsWith('coverage-'));
}

export function instrumentationTitle(scenario: Scenario, key: InstrumentationKey): string {
  if (key === 'profile') return `profile top ${scenario.profile!.top}`;
  if (key === 'coverage') return 'coverage';
  const check = scenario.coverage!.checks[checkIndex(key)]!;
  return check.kind === 'never' ? `coverage never ${check.globs.join(', ')}` : `coverage ${check.glob}${check.minPercent < 100 ? ` at least ${check.minPercent}%` : ''}`;
}

export function instrumentationLocation(scenario: Scenario, key: InstrumentationKey): SourceLocation {
  if (key === 'profile') return scenario.profile!.location;
  if (key === 'coverage') return scenario.coverage!.location;
  return scenario.coverage!.checks[checkIndex(key)]!.location;
}

/** Coverage and profiles are known once the run is over: `t` is its end. */
export function instrumentationVerdict(result: InstrumentedRunResult, key: InstrumentationKey): Verdict {
  const t = result.finish.t;
  if (key === 'profile') {
    const profile = result.profile;
    if (!profile || profile.error !== undefined) return { status: 'failed', t, reason: profile?.error ?? 'no profile was made' };
    return { status: 'passed', t, detail: profile.sections.map(sectionText).join('\n') };
  }
  const coverage = result.coverage;
  if (!coverage) return { status: 'failed', t, reason: 'no coverage was measured' };
  if (key === 'coverage') {
    if (coverage.error !== undefined || coverage.summary === undefined) return { status: 'failed', t, reason: coverage.error ?? 'no coverage was measured' };
    return { status: 'passed', t, detail: `${coverage.summary}${coverage.tracefile ? `\ntracefile: ${coverage.tracefile}` : ''}` };
  }
  const outcome = coverage.checks[checkIndex(key)];
  if (!outcome) return { status: 'failed', t, reason: 'no coverage was measured' };
  return outcome.passed ? { status: 'passed', t, detail: outcome.detail } : { status: 'failed', t, reason: outcome.reason };
}

/** `profile of the whole run: 1,234 instructions`, then one line per function: its share, name and count. */
export function sectionText(section: ProfileSection): string {
  const { total, top } = section.profile;
  const lines = top.map((entry) => `  ${(entry.share * 100).toFixed(1).padStart(5)}% ${entry.name} (${entry.instructions.toLocaleString('en-US')})`);
  return [`profile of ${section.title}: ${total.toLocaleString('en-US')} instructions`, ...lines].join('\n');
}

function checkIndex(key: `coverage-${number}`): number {
  return Number(key.slice('coverage-'.length));
}
