// What a timing assertion with `baseline` is held to. Its own module so that timing.ts (which judges
// against a figure) and baseline.ts (which records figures from timing measurements) need not import
// each other.
import type { TimingAssertion } from '../scenario/model.js';

export interface BaselineFigure {
  /** The assertion's statistic over the recorded runs, ms. */
  ms: number;
  statistic: TimingAssertion['statistic'];
  runs: number;
  /** Fastest and slowest recorded run, ms. */
  spread: [number, number];
  clock: TimingAssertion['clock'];
  /** ISO date and time of the recording. */
  recorded: string;
}

/** What an assertion is compared with: the recorded figure, or why there is none. */
export type BaselineLookup = BaselineFigure | { missing: string };
