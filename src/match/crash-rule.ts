// `crash:`: what the crashes a run shows mean: the one `expected` passes it; under `none` the first
// printed crash ends the run once its dump is read; `allowed` ones are only recorded.
import type { CrashExpectation } from '../scenario/model.js';
import type { CrashKind } from '../results/guest-crash.js';
import type { Verdict } from './verdict.js';

/** The crash that is ending the run: it ends once its dump is read (see `ScenarioMonitor.endCrashDump`). */
export interface CrashInProgress {
  kind: CrashKind;
  case?: string;
  line: string;
  t: number;
}

/** A crash seen: `met` passes `crash: expected`; `ending` begins the end of the run (`crashing`). */
export type CrashOutcome = { kind: 'met'; verdict: Verdict } | { kind: 'ending'; crash: CrashInProgress };

export class CrashRule {
  /** The crash ending the run, once one is. */
  crashing: CrashInProgress | undefined;

  constructor(private readonly expected: CrashExpectation) {}

  /** Whether a run that meets every expectation must still show a crash. */
  get awaited(): boolean {
    return this.expected.kind === 'expected';
  }

  /** `detected`: the line a printed crash was read from (a reset has none); `pending`: whether `crash: expected` is still undecided. */
  seen(kind: CrashKind | 'reset', t: number, pending: boolean, detected?: { case?: string; line: string }): CrashOutcome | undefined {
    const expected = this.expected;
    if (expected.kind === 'expected') {
      if (!pending || (expected.crash !== 'any' && expected.crash !== kind)) return undefined;
      return { kind: 'met', verdict: { status: 'passed', t, detail: `${kind}${detected?.case ? ` during ${detected.case}` : ''} at +${t.toFixed(1)} ms${detected ? `: ${JSON.stringify(detected.line)}` : ''}` } };
    }
    // A reset ends the run by itself and is judged as an exit; only printed crashes end it here.
    if (expected.kind === 'allowed' || kind === 'reset' || !detected || this.crashing) return undefined;
    this.crashing = { kind, ...(detected.case ? { case: detected.case } : {}), line: detected.line, t };
    return { kind: 'ending', crash: this.crashing };
  }

  /** `crash: expected`'s verdict when the run ended with none seen. */
  notSeen(cause: string, t: number): Verdict | undefined {
    const expected = this.expected;
    if (expected.kind !== 'expected') return undefined;
    return { status: 'failed', t, reason: `no ${expected.crash === 'any' ? 'crash' : expected.crash} seen: ${cause}` };
  }
}

/** The cause a run a crash ended ends with. */
export function crashCause(crash: CrashInProgress): string {
  return `the guest crashed (${crash.kind}${crash.case ? ` during ${crash.case}` : ''}): ${JSON.stringify(crash.line)}`;
}
