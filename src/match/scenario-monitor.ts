// Decides each expectation of a scenario from the stream of run events, as soon as it can be decided.
import type { Channel, Expectation, ExitExpectation, Scenario } from '../scenario/model.js';
import { stageOf, stageRange } from '../scenario/stages.js';
import { debugExitStatus, describeExit, type ExitMeaning } from '../qemu/exit-status.js';
import { Timeline } from '../timeline/timeline.js';
import { compilePattern, describePattern, type LinePredicate } from './pattern.js';
import type { FinishReason, Verdict } from './verdict.js';

interface Tracked {
  expectation: Expectation;
  matches: LinePredicate | ((code: number) => boolean);
  verdict: Verdict;
  /** Sequence number of the event that met it, so `after` only counts later events. */
  metAtSeq?: number;
}

export type VerdictListener = (key: number | 'exit', verdict: Verdict) => void;

export class ScenarioMonitor {
  readonly timeline = new Timeline();
  private readonly tracked: Tracked[];
  private exitVerdict: Verdict = { status: 'pending' };
  private seq = 0;
  private finish: { reason: FinishReason; t: number; cause: string } | undefined;
  private readonly listeners: VerdictListener[] = [];

  constructor(private readonly scenario: Pick<Scenario, 'expectations' | 'exit' | 'timeout'>) {
    this.tracked = scenario.expectations.map((expectation) => ({ expectation, matches: matcherFor(expectation), verdict: { status: 'pending' } }));
  }

  onVerdict(listener: VerdictListener): void {
    this.listeners.push(listener);
  }

  verdictOf(key: number | 'exit'): Verdict {
    return key === 'exit' ? this.exitVerdict : this.tracked[key]!.verdict;
  }

  get finished(): { reason: FinishReason; t: number; cause: string } | undefined {
    return this.finish;
  }

  line(channel: Channel, text: string, t: number): void {
    if (this.finish) return;
    const seq = ++this.seq;
    const matched: number[] = [];
    for (const item of this.tracked) {
      const e = item.expectation;
      if ((e.kind !== 'text' && e.kind !== 'never') || e.channel !== channel) continue;
      if (!(item.matches as LinePredicate)(text)) continue;
      if (e.kind === 'never') {
        matched.push(e.index);
        this.decide(item, { status: 'failed', t, reason: `${describePattern(e.pattern)} appeared on ${channel} at +${t.toFixed(1)} ms: ${JSON.stringify(text)}` }, seq);
        this.timeline.add({ kind: 'line', t, channel, text, matched });
        this.end('never-matched', t, `a never pattern matched (expect[${e.index}], line ${e.location.line})`);
        return;
      }
      if (item.verdict.status === 'pending' && this.eligible(item, seq)) {
        matched.push(e.index);
        this.decide(item, { status: 'passed', t, detail: `${channel} line at +${t.toFixed(1)} ms: ${JSON.stringify(text)}` }, seq);
      }
    }
    if (matched.length) this.timeline.add({ kind: 'line', t, channel, text, matched });
    this.checkAllMet(t);
  }

  code(code: number, t: number): void {
    if (this.finish) return;
    const seq = ++this.seq;
    this.timeline.add({ kind: 'code', t, code, stage: stageOf(code) });
    for (const item of this.tracked) {
      const e = item.expectation;
      if ((e.kind === 'code' || e.kind === 'stage') && item.verdict.status === 'pending' && this.eligible(item, seq) && (item.matches as (c: number) => boolean)(code)) {
        this.decide(item, { status: 'passed', t, detail: `code 0x${code.toString(16).padStart(2, '0')} at +${t.toFixed(1)} ms` }, seq);
      }
    }
    this.checkAllMet(t);
  }

  /** The guest (or QEMU) ended. */
  exit(meaning: ExitMeaning, t: number): void {
    if (this.finish) return;
    this.timeline.add({ kind: 'exit', t, meaning });
    const exit = this.scenario.exit;
    if (exit) this.decideExit(exitMatches(exit, meaning) ? { status: 'passed', t, detail: describeExit(meaning) } : { status: 'failed', t, reason: `expected ${expectedExitText(exit)}, got ${describeExit(meaning)}` });
    this.end('guest-exit', t, `the guest ended first: ${describeExit(meaning)}`);
  }

  timeout(t: number): void {
    if (this.finish) return;
    this.timeline.add({ kind: 'timeout', t, seconds: this.scenario.timeout });
    this.end('timeout', t, `not seen within the scenario timeout of ${this.scenario.timeout} s`);
  }

  /** The run failed for a reason outside the guest (QEMU missing, socket error...). */
  error(message: string, t: number): void {
    if (this.finish) return;
    this.end('error', t, message);
  }

  private eligible(item: Tracked, seq: number): boolean {
    const after = item.expectation.after;
    if (after === undefined) return true;
    const metAt = this.tracked[after]!.metAtSeq;
    return metAt !== undefined && metAt < seq;
  }

  private decide(item: Tracked, verdict: Verdict, seq: number): void {
    item.verdict = verdict;
    if (verdict.status === 'passed') item.metAtSeq = seq;
    for (const listener of this.listeners) listener(item.expectation.index, verdict);
  }

  private decideExit(verdict: Verdict): void {
    this.exitVerdict = verdict;
    for (const listener of this.listeners) listener('exit', verdict);
  }

  /** With every positive expectation met and no exit expected, the verdict is known: stop now. */
  private checkAllMet(t: number): void {
    const positivesMet = this.tracked.every((i) => i.expectation.kind === 'never' || i.verdict.status === 'passed');
    const hasPositive = this.tracked.some((i) => i.expectation.kind !== 'never') || this.scenario.exit !== undefined;
    if (positivesMet && hasPositive && !this.scenario.exit) this.end('verdict-known', t, 'all expectations met');
  }

  private end(reason: FinishReason, t: number, cause: string): void {
    this.finish = { reason, t, cause };
    const cleanEnd = reason === 'verdict-known' || reason === 'guest-exit' || reason === 'timeout';
    for (const item of this.tracked) {
      if (item.verdict.status !== 'pending') continue;
      if (item.expectation.kind === 'never') {
        this.decide(item, cleanEnd ? { status: 'passed', t, detail: `did not appear during the ${t.toFixed(1)} ms run` } : { status: 'failed', t, reason: `not checked to the end: ${cause}` }, this.seq);
        continue;
      }
      const after = item.expectation.after;
      const blocked = after !== undefined && this.tracked[after]!.verdict.status !== 'passed';
      this.decide(item, { status: 'failed', t, reason: blocked ? `not checked: expect[${after}] (which must come first) was not met` : `not seen: ${cause}` }, this.seq);
    }
    if (this.scenario.exit && this.exitVerdict.status === 'pending') {
      this.decideExit({ status: 'failed', t, reason: reason === 'timeout' ? `the guest did not exit within ${this.scenario.timeout} s` : `not reached: ${cause}` });
    }
  }
}

function matcherFor(e: Expectation): Tracked['matches'] {
  switch (e.kind) {
    case 'text':
    case 'never': return compilePattern(e.pattern);
    case 'code': return (code: number) => code === e.code;
    case 'stage': {
      const { first, last } = stageRange(e.stage);
      return (code: number) => code >= first && code <= last;
    }
  }
}

function exitMatches(exit: ExitExpectation, meaning: ExitMeaning): boolean {
  switch (exit.kind) {
    case 'any': return meaning.kind !== 'qemu-error' && meaning.kind !== 'killed-by-runner';
    case 'poweroff': return meaning.kind === 'poweroff';
    case 'debug-exit': return meaning.kind === 'debug-exit' && meaning.status === debugExitStatus(exit.value);
    case 'status': return (meaning.kind === 'debug-exit' && meaning.status === exit.status)
      || (meaning.kind === 'status' && meaning.status === exit.status)
      || ((meaning.kind === 'poweroff' || meaning.kind === 'reset') && exit.status === 0);
  }
}

function expectedExitText(exit: ExitExpectation): string {
  switch (exit.kind) {
    case 'any': return 'the guest to end';
    case 'poweroff': return 'a power-off';
    case 'debug-exit': return `debug-exit value ${exit.value} (QEMU status ${debugExitStatus(exit.value)})`;
    case 'status': return `QEMU status ${exit.status}`;
  }
}
