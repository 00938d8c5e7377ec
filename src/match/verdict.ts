// The state of one expectation during and after a run.

export type Verdict =
  | { status: 'pending' }
  | { status: 'passed'; t: number; detail: string }
  | { status: 'failed'; t: number; reason: string };

export type FinishReason = 'verdict-known' | 'never-matched' | 'crashed' | 'output-limit' | 'guest-exit' | 'guest-end' | 'timeout' | 'error';
