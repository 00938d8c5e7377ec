// The state of one expectation during and after a run.

export type Verdict =
  | { status: 'pending' }
  | { status: 'passed'; t: number; detail: string }
  | { status: 'failed'; t: number; reason: string };

/** Why an expectation still pending when its run is over failed. */
export const UNDECIDED_REASON = 'the run ended without deciding this expectation';

export type FinishReason = 'verdict-known' | 'never-matched' | 'crashed' | 'output-limit' | 'guest-exit' | 'guest-end' | 'timeout' | 'error';
