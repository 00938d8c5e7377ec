// Decides each expectation of a scenario from the stream of run events, as soon as it can be decided.
import type { Channel, Expectation, ExitExpectation, Scenario } from '../scenario/model.js';
import { stageOf, stageRange } from '../scenario/stages.js';
import { debugExitStatus, describeExit, type ExitMeaning } from '../qemu/exit-status.js';
import { Timeline } from '../timeline/timeline.js';
import { compilePattern, describePattern, type LinePredicate } from './pattern.js';
import type { FinishReason, Verdict } from './verdict.js';

/**
 * Each channel is its own socket, so the host sees the order of events on different channels only
 * as well as its reads allow: a console line written before a port 0x80 byte was measured arriving
 * up to 0.3 ms after it (more under load). Events on different channels closer than this count as
 * simultaneous, so `after`/`ordered` accept them in either order; within one channel order is exact.
 */
export const CROSS_CHANNEL_TOLERANCE_MS = 10;
/** Bound on the events kept for that tolerance, whatever the guest floods. */
const MAX_RECENT_EVENTS = 1000;

type Source = Channel | 'port80';

interface ObservedEvent {
  source: Source;
  t: number;
  seq: number;
  text?: string;
  code?: number;
}

interface Tracked {
  expectation: Expectation;
  matches: (event: ObservedEvent) => boolean;
  verdict: Verdict;
  /** The event that met it: `after` counts only events after this one. */
  metBy?: ObservedEvent;
}

export type VerdictListener = (key: number | 'exit', verdict: Verdict) => void;

export class ScenarioMonitor {
  readonly timeline = new Timeline();
  private readonly tracked: Tracked[];
  private readonly hasOrdering: boolean;
  private recent: ObservedEvent[] = [];
  private exitVerdict: Verdict = { status: 'pending' };
  private seq = 0;
  private finish: { reason: FinishReason; t: number; cause: string } | undefined;
  private readonly listeners: VerdictListener[] = [];

  constructor(private readonly scenario: Pick<Scenario, 'expectations' | 'exit' | 'timeout'>) {
    this.tracked = scenario.expectations.map((expectation) => ({ expectation, matches: matcherFor(expectation), verdict: { status: 'pending' } }));
    this.hasOrdering = scenario.expectations.some((e) => e.after !== undefined);
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
    this.observe({ source: channel, text, t, seq: 0 });
  }

  code(code: number, t: number): void {
    this.observe({ source: 'port80', code, t, seq: 0 });
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
    this.end('timeout', t, `the scenario timeout of ${this.scenario.timeout} s ran out`);
  }

  /** The run failed for a reason outside the guest (QEMU missing, socket error...). */
  error(message: string, t: number): void {
    if (this.finish) return;
    this.end('error', t, message);
  }

  private observe(event: ObservedEvent): void {
    if (this.finish) return;
    event.seq = ++this.seq;
    const matching = this.tracked.filter((item) => item.matches(event));
    this.record(event, matching);
    if (this.hasOrdering) this.rememberRecent(event);
    for (const item of matching) {
      const e = item.expectation;
      if (e.kind === 'never') {
        this.decide(item, { status: 'failed', t: event.t, reason: `${describePattern(e.pattern)} appeared on ${e.channel} at +${event.t.toFixed(1)} ms: ${JSON.stringify(event.text)}` }, event);
        this.end('never-matched', event.t, `a never pattern matched (expect[${e.index}], line ${e.location.line})`);
        return;
      }
      if (item.verdict.status === 'pending' && this.eligible(item, event)) this.pass(item, event);
    }
    this.checkAllMet(event.t);
  }

  private record(event: ObservedEvent, matching: Tracked[]): void {
    const matched = matching.map((i) => i.expectation.index);
    if (event.source === 'port80') this.timeline.add({ kind: 'code', t: event.t, code: event.code!, stage: stageOf(event.code!) });
    else if (matched.length > 0) this.timeline.add({ kind: 'line', t: event.t, channel: event.source, text: event.text!, matched });
  }

  private eligible(item: Tracked, event: ObservedEvent): boolean {
    const after = item.expectation.after;
    if (after === undefined) return true;
    const metBy = this.tracked[after]!.metBy;
    if (!metBy) return false;
    if (metBy.source === event.source) return metBy.seq < event.seq;
    return event.t >= metBy.t - CROSS_CHANNEL_TOLERANCE_MS;
  }

  private pass(item: Tracked, event: ObservedEvent): void {
    const what = event.source === 'port80' ? `code 0x${event.code!.toString(16).padStart(2, '0')}` : `${event.source} line ${JSON.stringify(event.text)}`;
    this.decide(item, { status: 'passed', t: event.t, detail: `${what} at +${event.t.toFixed(1)} ms` }, event);
    if (this.hasOrdering) this.settleFollowers(item);
  }

  /**
   * Events already seen may count for the followers of an expectation that was just met: those on other
   * channels within the tolerance, and those a late-met expectation now precedes on its own channel.
   */
  private settleFollowers(item: Tracked): void {
    for (const follower of this.tracked) {
      if (follower.expectation.after !== item.expectation.index || follower.verdict.status !== 'pending') continue;
      const earlier = this.recent.find((event) => this.eligible(follower, event) && follower.matches(event));
      if (earlier) this.pass(follower, earlier);
    }
  }

  private rememberRecent(event: ObservedEvent): void {
    this.recent.push(event);
    const oldest = event.t - CROSS_CHANNEL_TOLERANCE_MS;
    if (this.recent.length > MAX_RECENT_EVENTS || this.recent[0]!.t < oldest) {
      this.recent = this.recent.filter((e) => e.t >= oldest).slice(-MAX_RECENT_EVENTS);
    }
  }

  private decide(item: Tracked, verdict: Verdict, event?: ObservedEvent): void {
    item.verdict = verdict;
    if (verdict.status === 'passed') item.metBy = event;
    for (const listener of this.listeners) listener(item.expectation.index, verdict);
  }

  private decideExit(verdict: Verdict): void {
    this.exitVerdict = verdict;
    for (const listener of this.listeners) listener('exit', verdict);
  }

  /** With every positive expectation met and no exit expected, the verdict is known: stop now. */
  private checkAllMet(t: number): void {
    if (this.finish || this.scenario.exit) return;
    const positives = this.tracked.filter((i) => i.expectation.kind !== 'never');
    if (positives.length > 0 && positives.every((i) => i.verdict.status === 'passed')) this.end('verdict-known', t, 'all expectations met');
  }

  private end(reason: FinishReason, t: number, cause: string): void {
    this.finish = { reason, t, cause };
    const cleanEnd = reason === 'verdict-known' || reason === 'guest-exit' || reason === 'timeout';
    for (const item of this.tracked) {
      if (item.verdict.status !== 'pending') continue;
      if (item.expectation.kind === 'never') {
        this.decide(item, cleanEnd ? { status: 'passed', t, detail: `did not appear during the ${t.toFixed(1)} ms run` } : { status: 'failed', t, reason: `not checked to the end: ${cause}` });
        continue;
      }
      const after = item.expectation.after;
      const blocked = after !== undefined && this.tracked[after]!.verdict.status !== 'passed';
      this.decide(item, { status: 'failed', t, reason: blocked ? `not checked: expect[${after}] (which must come first) was not met` : `not seen: ${cause}` });
    }
    if (this.scenario.exit && this.exitVerdict.status === 'pending') {
      this.decideExit({ status: 'failed', t, reason: reason === 'timeout' ? `the guest did not exit within ${this.scenario.timeout} s` : `not reached: ${cause}` });
    }
  }
}

function matcherFor(e: Expectation): (event: ObservedEvent) => boolean {
  switch (e.kind) {
    case 'text':
    case 'never': {
      const predicate: LinePredicate = compilePattern(e.pattern);
      return (event) => event.source === e.channel && predicate(event.text!);
    }
    case 'code': return (event) => event.source === 'port80' && event.code === e.code;
    case 'stage': {
      const { first, last } = stageRange(e.stage);
      return (event) => event.source === 'port80' && event.code! >= first && event.code! <= last;
    }
  }
}

function exitMatches(exit: ExitExpectation, meaning: ExitMeaning): boolean {
  switch (exit.kind) {
    // The guest must have ended the run: not QEMU failing, not us, not a signal from outside.
    case 'any': return meaning.kind === 'debug-exit' || meaning.kind === 'poweroff' || meaning.kind === 'reset' || meaning.kind === 'status';
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
