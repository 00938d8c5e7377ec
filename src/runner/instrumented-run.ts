// A run with `coverage:` or `profile:`: the plugin counts every translated block, and after the run they become
// the coverage (checks, summary, tracefile) and the profiles (whole run, stages, spans) of the guest image.
import type { Scenario, TimingPoint } from '../scenario/model.js';
import type { CheckOutcome } from '../coverage/coverage-checks.js';
import type { GuestProfile } from '../coverage/guest-profile.js';
import type { ProfileTimeline } from '../coverage/profile-timeline.js';
import { runScenario, type RunOptions, type RunResult } from './run-scenario.js';
import type { GuestImage } from './guest-image.js';

export interface CoverageResult {
  /** `coverage: 1,234 of 5,678 functions (21.7%)`, or why there is none (`error`). */
  summary?: string;
  tracefile?: string;
  error?: string;
  /** One per check of the scenario, in order. */
  checks: CheckOutcome[];
}

export interface ProfileSection {
  /** `the whole run`, `stage kernel`, `from start to up`. */
  title: string;
  profile: GuestProfile;
}

export interface ProfileResult {
  sections: ProfileSection[];
  error?: string;
}

export interface InstrumentedRunResult extends RunResult {
  coverage?: CoverageResult;
  profile?: ProfileResult;
  /** Instructions per function over time, when blocks were counted: the hottest functions of any span. */
  profileTimeline?: ProfileTimeline;
}

/** Where tracefiles go and what this scenario's is called. */
export interface CoverageOutput {
  dir: string;
  name: string;
}

export async function runInstrumented(scenario: Scenario, options: RunOptions, output: CoverageOutput, run: typeof runScenario = runScenario): Promise<InstrumentedRunResult> {
  if (!scenario.coverage && !scenario.profile) return run(scenario, options);
  // Loaded by the runs that count blocks (the ELF and DWARF readers among them): a worker whose scenarios
  // count none does not load them before its first run.
  const [{ measureCoverage }, { coverageSummary, judgeCoverageCheck }, { profileFunctions }, { ProfileTimeline }, { loadGuestImage }, { writeTracefile }] = await Promise.all([
    import('../coverage/guest-coverage.js'), import('../coverage/coverage-checks.js'), import('../coverage/guest-profile.js'),
    import('../coverage/profile-timeline.js'), import('./guest-image.js'), import('./coverage-files.js'),
  ]);
  const timeline = new ProfileTimeline();
  // Read while the guest boots; a failure is the coverage's and the profile's error, not the run's.
  const image: Promise<GuestImage | Error> = loadGuestImage(scenario).then((loaded) => {
    timeline.setFunctions(loaded.functions);
    return loaded;
  }, (error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const result = await run(scenario, {
    ...options,
    blocks: true,
    onBlocks: (counts, t, batch) => {
      options.onBlocks?.(counts, t, batch);
      timeline.observe(batch.newBlocks, batch.blocks, t);
    },
  });
  const loaded = await image;
  const problem = loaded instanceof Error ? `cannot read the guest's functions: ${loaded.message}`
    : !result.blocks ? `no block counts: ${result.pluginFallback ?? 'the run ended before the TCG plugin sent any'}` : undefined;
  if (problem !== undefined || loaded instanceof Error || !result.blocks) {
    return {
      ...result,
      ...(scenario.coverage ? { coverage: { error: problem, checks: scenario.coverage.checks.map(() => ({ passed: false as const, reason: problem! })) } } : {}),
      ...(scenario.profile ? { profile: { sections: [], error: problem } } : {}),
    };
  }
  const blocks = [...result.blocks.blocks()];
  const instrumented: InstrumentedRunResult = { ...result, profileTimeline: timeline };
  if (scenario.coverage) {
    const coverage = measureCoverage(loaded.source, blocks, loaded.functions, loaded.lines);
    let tracefile: string | undefined;
    let error: string | undefined;
    try {
      tracefile = await writeTracefile(output.dir, output.name, coverage);
    } catch (cause) {
      error = `cannot write the tracefile in ${output.dir}: ${(cause as Error).message}`;
    }
    instrumented.coverage = { summary: coverageSummary(coverage), ...(tracefile ? { tracefile } : {}), ...(error ? { error } : {}), checks: scenario.coverage.checks.map((check) => judgeCoverageCheck(check, coverage)) };
  }
  if (scenario.profile) {
    const { top, stages, between } = scenario.profile;
    const sections: ProfileSection[] = [{ title: 'the whole run', profile: profileFunctions(blocks, loaded.functions, top) }];
    if (stages) for (const span of result.stages) sections.push({ title: `stage ${span.stage}`, profile: timeline.profile(span.start, span.end ?? Infinity, top) });
    for (const span of between) {
      const from = pointTime(span.from, result);
      const to = pointTime(span.to, result);
      const title = `from ${pointName(span.from)} to ${pointName(span.to)}`;
      if (typeof from === 'string' || typeof to === 'string') sections.push({ title: `${title}: ${typeof from === 'string' ? from : to}`, profile: { total: 0, top: [] } });
      else sections.push({ title, profile: timeline.profile(from, to, top) });
    }
    instrumented.profile = { sections };
  }
  return instrumented;
}

/** How many functions a failed timing assertion lists for its interval. */
const HOTTEST = 5;

/**
 * For a timing assertion on the host clock of a run that counted blocks: the functions that executed the most
 * in its interval, the first place to look when it was slow. Undefined when that cannot be known.
 */
export function hottestInTiming(scenario: Scenario, result: InstrumentedRunResult, index: number): string | undefined {
  const assertion = scenario.timing[index];
  if (!assertion || assertion.clock !== 'host' || !result.profileTimeline) return undefined;
  let from: number | string;
  let to: number | string;
  if (assertion.span.kind === 'stage') {
    const stage = assertion.span.stage;
    const span = result.stages.find((s) => s.stage === stage);
    if (!span) return undefined;
    [from, to] = [span.start, span.end ?? result.finish.t];
  } else {
    [from, to] = [pointTime(assertion.span.from, result), pointTime(assertion.span.to, result)];
  }
  if (typeof from === 'string' || typeof to === 'string') return undefined;
  const profile = result.profileTimeline.profile(from, to, HOTTEST);
  if (profile.top.length === 0) return undefined;
  const ranked = profile.top.map((e) => `${e.name} ${(e.share * 100).toFixed(1)}%`).join(', ');
  return `hottest functions from ${from.toFixed(1)} to ${to.toFixed(1)} ms (of ${profile.total.toLocaleString('en-US')} instructions): ${ranked}`;
}

/** When a point of the timeline happened in this run (ms), or why it did not. */
function pointTime(point: TimingPoint, result: RunResult): number | string {
  switch (point.kind) {
    case 'start': return 0;
    case 'exit': return result.finish.reason === 'guest-exit' || result.finish.reason === 'guest-end' ? result.finish.t : 'the guest did not exit or end by itself';
    case 'stage': return result.stages.find((s) => s.stage === point.stage)?.start ?? `stage ${point.stage} never started`;
    case 'expectation': {
      const verdict = result.verdicts[point.index];
      return verdict?.status === 'passed' ? verdict.t : `${point.id} was not met`;
    }
    case 'fault': return `faults are not points a profile spans (${point.id})`;
  }
}

function pointName(point: TimingPoint): string {
  return point.kind === 'stage' ? point.stage : point.kind === 'expectation' || point.kind === 'fault' ? point.id : point.kind;
}
