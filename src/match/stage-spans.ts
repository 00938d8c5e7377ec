// When each boot stage began and ended, from the stage codes: what timing assertions on stages measure.
import { stageOf, type StageName } from '../scenario/stages.js';

export class StageSpans {
  readonly starts = new Map<StageName, number>();
  /** A stage ends at the first code of another stage after it began. */
  readonly ends = new Map<StageName, number>();

  code(code: number, t: number): void {
    const stage = stageOf(code);
    for (const started of this.starts.keys()) if (started !== stage && !this.ends.has(started)) this.ends.set(started, t);
    if (!this.starts.has(stage)) this.starts.set(stage, t);
  }

  /** Each stage that began: when, and when it ended (undefined: still running when the run ended). */
  spans(): { stage: StageName; start: number; end?: number }[] {
    return [...this.starts].map(([stage, start]) => ({ stage, start, ...(this.ends.has(stage) ? { end: this.ends.get(stage)! } : {}) }));
  }
}
