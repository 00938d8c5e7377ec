// What a run records for its timing assertions (stages, the guest's end, first fault injections), and
// their verdicts, judged on that record once the run is over.
import type { TimingAssertion } from '../scenario/model.js';
import type { BaselineLookup } from './baseline.js';
import { judgeMeasurements, measureTiming, type TimingFacts, type TimingMeasurement } from './timing.js';
import { StageSpans } from './stage-spans.js';
import type { FinishReason, Verdict } from './verdict.js';

/** The expectations' side of the record: when each one passed, and the line that met it. */
export interface MetPoints {
  metAt(index: number): number | undefined;
  metLine(index: number): string | undefined;
}

export class RunTimings {
  readonly stages = new StageSpans();
  /** When the guest exited or an `end` condition was met. */
  exitAt: number | undefined;
  /** Each assertion's figure in this run, for judging over repeated runs. */
  measurements: TimingMeasurement[] = [];
  verdicts: Verdict[] = [];
  private readonly firstInjection = new Map<number, number>();

  /** `baselines`: for each assertion with a `baseline:` limit, its recorded figure. */
  constructor(private readonly timing: readonly TimingAssertion[], private readonly baselines: readonly (BaselineLookup | undefined)[]) {}

  /** A fault was injected: its timing point is its first injection. */
  fault(index: number, t: number): void {
    if (!this.firstInjection.has(index)) this.firstInjection.set(index, t);
  }

  /** Measures and judges every assertion at the end `t` of the run; a run broken off (error) measures nothing. */
  judge(reason: FinishReason, t: number, cause: string, met: MetPoints): Verdict[] {
    const facts: TimingFacts = {
      stageStarts: this.stages.starts,
      stageEnds: this.stages.ends,
      exitAt: this.exitAt,
      runEnd: t,
      metAt: (index) => met.metAt(index),
      metLine: (index) => met.metLine(index),
      faultAt: (index) => this.firstInjection.get(index),
    };
    this.measurements = this.timing.map((a) => (reason === 'error' ? { missing: cause } : measureTiming(a, facts)));
    this.verdicts = this.timing.map((a, i) => judgeMeasurements(a, [this.measurements[i]!], t, this.baselines[i]));
    return this.verdicts;
  }
}
