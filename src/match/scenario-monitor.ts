// Decides each expectation of a scenario from the stream of run events, as soon as it can be decided.
import type { Channel, Expectation, ExitExpectation, Pattern, Scenario, Stream } from '../scenario/model.js';
import { codeMatches, describeCode, formatCode, stageOf, type CodeMatch, type StageName } from '../scenario/stages.js';
import type { BaselineLookup } from './baseline.js';
import { judgeMeasurements, measureTiming, type TimingFacts, type TimingMeasurement } from './timing.js';
import { debugExitStatus, describeExit, type ExitMeaning } from '../results/exit-status.js';
import { Timeline } from '../timeline/timeline.js';
import { compilePattern, describePattern, type LinePredicate } from './pattern.js';
import { casesText, countText } from './expectation-title.js';
import type { FinishReason, Verdict } from './verdict.js';
import { GuestResults } from './guest-results.js';
import { compileCaseSelector, oneCaseName, selectsOneCase } from './case-selector.js';
import { caseId, type GuestCase } from '../results/guest-case.js';
import { isFatal, type CrashKind } from '../results/guest-crash.js';
import type { ResultEvent } from '../results/result-events.js';
import { describeRowMatch, describeScreenMatch, matchingRow, ScreenEnds, screenMatcher } from './screen-match.js';

/**
 * Each channel is its own socket, so the host sees the order of events on different channels only
 * as well as its reads allow: a console line written before a port 0x80 byte was measured arriving
 * up to 0.3 ms after it (more under load). Events on different channels closer than this count as
 * simultaneous, so `after`/`ordered` accept them in either order; within one channel order is exact.
 */
export const CROSS_CHANNEL_TOLERANCE_MS = 10;
/** Bound on the events kept for that tolerance, whatever the guest floods. */
const MAX_RECENT_EVENTS = 1000;

type Source = Stream | 'debugger' | 'results';

interface ObservedEvent {
  source: Source;
  t: number;
  seq: number;
  text?: string;
  code?: number;
  hit?: DebuggerHit;
  /** A guest test case that ended, read from `resultChannel`. */
  guestCase?: GuestCase;
  resultChannel?: Channel;
  /** The line at which that case ended (none when the output did): its guest time for timing. */
  caseLine?: string;
  /** A check of a channel drawn as a screen: its rows as they now stand. */
  rows?: readonly string[];
}

/** A breakpoint or watchpoint stop, already attributed to the expectations it belongs to. */
export interface DebuggerHit {
  expectations: number[];
  /** `guest_loop_target`, `0x1234` or `guest_check_value+0x4`. */
  where: string;
  vcpu: number;
  /** Set when a register or memory check at this hit did not hold. */
  checkFailure?: string;
}

interface Tracked {
  expectation: Expectation;
  matches: (event: ObservedEvent) => boolean;
  verdict: Verdict;
  /** The event that met it: `after` counts only events after this one. */
  metBy?: ObservedEvent;
  /** Breakpoint and watch expectations: eligible hits so far. */
  hits: number;
  /** Counted expectations: when the last hit or case was counted, their point for timing. */
  lastCountedAt?: number;
}

/** An expectation by index, the scenario's `exit`, or its `crash: expected`. */
export type VerdictKey = number | 'exit' | 'crash' | `timing-${number}`;
export type VerdictListener = (key: VerdictKey, verdict: Verdict) => void;

/** The crash that is ending the run: it ends once its dump is read (see `endCrashDump`). */
export interface CrashInProgress {
  kind: CrashKind;
  case?: string;
  line: string;
  t: number;
}

export class ScenarioMonitor {
  readonly timeline = new Timeline();
  private readonly tracked: Tracked[];
  private readonly hasOrdering: boolean;
  private recent: ObservedEvent[] = [];
  private exitVerdict: Verdict = { status: 'pending' };
  private crashVerdict: Verdict = { status: 'pending' };
  private seq = 0;
  private finish: { reason: FinishReason; t: number; cause: string } | undefined;
  private readonly listeners: VerdictListener[] = [];
  private readonly crashListeners: ((crash: CrashInProgress) => void)[] = [];
  private readonly sendListeners: ((channel: Channel, text: string) => void)[] = [];
  /** The guest's own test cases and crash screens. */
  readonly results: GuestResults;
  private crashing: CrashInProgress | undefined;
  /** For timing assertions: when each stage began and ended, when the guest ended. */
  private readonly stageStarts = new Map<StageName, number>();
  private readonly stageEnds = new Map<StageName, number>();
  private exitAt: number | undefined;
  private timingVerdicts: Verdict[] = [];
  /** Each timing assertion's figure in this run, for judging over repeated runs. */
  timingMeasurements: TimingMeasurement[] = [];
  /** The line that met each expectation met by a line: guest clocks read their time from it. */
  private readonly metLine = new Map<number, string>();
  /** When each fault (by index) was first injected. */
  private readonly firstInjection = new Map<number, number>();
  /** Indexes of the text expectations that sends wait on. */
  private readonly prompts: number[];
  /** `end` conditions on lines and codes; the others (quiet, QMP) are the runner's to watch. */
  private readonly endLines: { channel: Channel; matches: LinePredicate; description: string }[];
  private readonly endCodes: CodeMatch[];
  private readonly endScreens: ScreenEnds;
  /** Set after a fatal crash: no more guest cases can come. */
  private casesOver = false;

  /** `baselines`: for each timing assertion with a `baseline:` limit, its recorded figure (see loadBaselines). */
  constructor(private readonly scenario: Pick<Scenario, 'expectations' | 'exit' | 'timeout' | 'crash' | 'end' | 'formats' | 'timing'>, private readonly baselines: readonly (BaselineLookup | undefined)[] = []) {
    this.tracked = scenario.expectations.map((expectation) => ({ expectation, matches: matcherFor(expectation), verdict: { status: 'pending' }, hits: 0 }));
    this.hasOrdering = scenario.expectations.some((e) => e.after !== undefined);
    this.results = new GuestResults(scenario);
    this.prompts = scenario.expectations.flatMap((e) => {
      const waiter = e.kind === 'send' && e.after !== undefined ? scenario.expectations[e.after] : undefined;
      return waiter?.kind === 'text' ? [waiter.index] : [];
    });
    this.promptChannels = new Set(this.prompts.map((i) => (scenario.expectations[i] as Extract<Expectation, { kind: 'text' }>).channel));
    this.endLines = scenario.end.flatMap((e) => (e.kind === 'line' ? [{ channel: e.channel, matches: compilePattern(e.pattern), description: describePattern(e.pattern) }] : []));
    this.endCodes = scenario.end.flatMap((e) => (e.kind === 'code' ? [e.code] : []));
    this.endScreens = new ScreenEnds(scenario.end);
  }

  onVerdict(listener: VerdictListener): void {
    this.listeners.push(listener);
  }

  /**
   * Called when a crash that fails the run begins. The run ends when its dump has been read; a guest
   * that prints a short dump and halts never says the dump is over, so the runner calls `endCrashDump`
   * after a grace period.
   */
  onCrash(listener: (crash: CrashInProgress) => void): void {
    this.crashListeners.push(listener);
  }

  /** Input to write to the guest, the moment a `send` step is reached. */
  onSend(listener: (channel: Channel, text: string) => void): void {
    this.sendListeners.push(listener);
  }

  verdictOf(key: VerdictKey): Verdict {
    if (typeof key === 'string' && key.startsWith('timing-')) return this.timingVerdicts[Number(key.slice('timing-'.length))] ?? { status: 'pending' };
    return key === 'exit' ? this.exitVerdict : key === 'crash' ? this.crashVerdict : this.tracked[key as number]!.verdict;
  }

  get finished(): { reason: FinishReason; t: number; cause: string } | undefined {
    return this.finish;
  }

  line(channel: Channel, text: string, t: number): void {
    // Results first: a uktest case ends at the line that starts the next one, so it comes before that line.
    if (!this.finish) this.resultEvents(this.results.line(channel, text), t, text);
    this.observe({ source: channel, text, t, seq: 0 });
    const end = this.endLines.find((e) => e.channel === channel && e.matches(text));
    if (end && !this.finish) this.endCondition(`${channel} line ${JSON.stringify(text)} (end: ${end.description})`, t);
  }

  /** A channel drawn as a screen changed: its rows, matched one by one, like a line checked before any end. */
  screen(channel: Channel, rows: readonly string[], t: number): void {
    this.observe({ source: channel, rows, t, seq: 0 });
    const end = this.endScreens.met(channel, rows);
    if (end && !this.finish) this.endCondition(end, t);
  }

  /**
   * Channels with a prompt to wait for: a text expectation a `send` waits on. Prompts end without a
   * newline (`/ # `), so those expectations also look at the line still being printed.
   */
  readonly promptChannels: ReadonlySet<Channel>;

  /** The unterminated text of a channel so far (see promptChannels); only prompt expectations look at it. */
  partialLine(channel: Channel, text: string, t: number): void {
    if (this.finish) return;
    for (const index of this.prompts) {
      const item = this.tracked[index]!;
      const e = item.expectation as Extract<Expectation, { kind: 'text' }>;
      if (e.channel !== channel || item.verdict.status !== 'pending') continue;
      const event: ObservedEvent = { source: channel, text, t, seq: ++this.seq };
      if (!item.matches(event) || !this.eligible(item, event)) continue;
      this.timeline.add({ kind: 'line', t, channel, text, matched: [index] });
      this.pass(item, event);
    }
    this.checkAllMet(t);
  }

  /** The crash that began at `crashing` printed no end of its dump in time: end with what was read. */
  endCrashDump(t: number): void {
    if (!this.crashing || this.finish) return;
    this.flushResults(t);
    if (!this.finish) this.end('crashed', t, crashCause(this.crashing));
  }

  code(code: number, t: number): void {
    if (!this.finish) this.noteStage(stageOf(code), t);
    this.observe({ source: 'port80', code, t, seq: 0 });
    // Like an end line, the code is checked against the expectations first.
    const end = this.endCodes.find((match) => codeMatches(match, code));
    if (end !== undefined && !this.finish) this.endCondition(`port80 code ${formatCode(code)} (end: ${describeCode(end)})`, t);
  }

  /** Each stage that began: when, and when it ended (undefined: still running when the run ended). */
  stageSpans(): { stage: StageName; start: number; end?: number }[] {
    return [...this.stageStarts].map(([stage, start]) => ({ stage, start, ...(this.stageEnds.has(stage) ? { end: this.stageEnds.get(stage)! } : {}) }));
  }

  private noteStage(stage: StageName, t: number): void {
    for (const started of this.stageStarts.keys()) if (started !== stage && !this.stageEnds.has(started)) this.stageEnds.set(started, t);
    if (!this.stageStarts.has(stage)) this.stageStarts.set(stage, t);
  }

  /** A fault the debugger session injected: a timeline event, and a timing point at its first injection. */
  fault(index: number, fn: string, value: string, mode: 'skip' | 'override', call: number, t: number): void {
    if (this.finish) return;
    this.timeline.add({ kind: 'fault', t, fn, value, mode, call });
    if (!this.firstInjection.has(index)) this.firstInjection.set(index, t);
  }

  /** A breakpoint or watchpoint hit reported by the debugger session. */
  hit(hit: DebuggerHit, t: number): void {
    this.observe({ source: 'debugger', hit, t, seq: 0 });
  }

  /**
   * Whether further debugger hits of expectation `index` can change anything: only while it is pending and
   * the run goes on. Once decided, `observe` never counts it again, so its verdict, its timing point (last
   * counted hit) and what its `after:` followers wait on (`metBy`) are fixed; a hit would only be a timeline
   * event. A count with a maximum (or not yet at its minimum) stays pending, so it is counted to the end.
   */
  stillCounts(index: number): boolean {
    return !this.finish && this.tracked[index]!.verdict.status === 'pending';
  }

  /** The debugger took a breakpoint or watchpoint out of the guest: its later hits are not events any more. */
  disarmed(where: string, t: number): void {
    if (!this.finish) this.timeline.add({ kind: 'disarmed', t, where });
  }

  /**
   * A scenario `end` condition the runner watches (a quiet time, a QMP event) was met: the guest's own
   * end, judged like an exit; the runner then stops QEMU.
   */
  endCondition(what: string, t: number): void {
    this.exit({ kind: 'end-condition', what }, t, 'guest-end');
  }

  /** The guest (or QEMU) ended. */
  exit(meaning: ExitMeaning, t: number, reason: Extract<FinishReason, 'guest-exit' | 'guest-end'> = 'guest-exit'): void {
    this.flushResults(t);
    if (this.finish) return;
    this.exitAt = t;
    this.timeline.add({ kind: 'exit', t, meaning });
    if (meaning.kind === 'reset') this.crashSeen('reset', t);
    const exit = this.scenario.exit;
    // Under crash: none a reset is a triple fault or an unasked reboot, unless `exit: reset` says it is
    // how this guest ends (Toro's deliberate triple fault, Linux's panic=-1).
    if (meaning.kind === 'reset' && this.scenario.crash.kind === 'none' && exit?.kind !== 'reset') {
      const cause = `the guest crashed: ${describeExit(meaning)}, and crash is none (write exit: reset where that is how the guest ends)`;
      if (exit) this.decideExit({ status: 'failed', t, reason: cause });
      this.end('crashed', t, cause);
      return;
    }
    if (exit) this.decideExit(exitMatches(exit, meaning) ? { status: 'passed', t, detail: describeExit(meaning) } : { status: 'failed', t, reason: `expected ${expectedExitText(exit)}, got ${describeExit(meaning)}` });
    this.end(reason, t, `the guest ended first: ${describeExit(meaning)}`);
  }

  /** The scenario timeout ran out; `located` says where each vCPU was then, when the debugger could see. */
  timeout(t: number, located: readonly { vcpu: number; where: string }[] = []): void {
    this.flushResults(t);
    if (this.finish) return;
    this.timeline.add({ kind: 'timeout', t, seconds: this.scenario.timeout });
    for (const { vcpu, where } of located) this.timeline.add({ kind: 'halted', t, vcpu, where });
    const where = located.length > 0 ? ` with ${located.map((l) => `vCPU ${l.vcpu} at ${l.where}`).join(', ')}` : '';
    this.end('timeout', t, `the scenario timeout of ${this.scenario.timeout} s ran out${where}`);
  }

  /** A channel printed more than the scenario's output limit: a flood ends the run, as a failure. */
  outputLimit(channel: Stream, limit: number, t: number): void {
    if (this.finish) return;
    this.end('output-limit', t, `${channel} printed more than ${formatBytes(limit)} (output-limit)`);
  }

  /** The run failed for a reason outside the guest (QEMU missing, socket error...). */
  error(message: string, t: number): void {
    if (this.finish) return;
    this.end('error', t, message);
  }

  private observe(event: ObservedEvent): void {
    if (this.finish) return;
    event.seq = ++this.seq;
    // A screen shows the same rows check after check: only what is still undecided is matched again.
    const matching = this.tracked.filter((item) => item.matches(event) && (!event.rows || item.verdict.status === 'pending'));
    this.record(event, matching);
    if (this.hasOrdering) this.rememberRecent(event);
    for (const item of matching) {
      const e = item.expectation;
      if (e.kind === 'never') {
        const [what, seen] = e.channel === 'port80' ? [describeCode(e.code), formatCode(event.code!)]
          : [describePattern(e.pattern), event.rows ? describeRowMatch(e.pattern, event.rows) : JSON.stringify(event.text)];
        this.decide(item, { status: 'failed', t: event.t, reason: `${what} appeared on ${e.channel} at +${event.t.toFixed(1)} ms: ${seen}` }, event);
        this.end('never-matched', event.t, `a never pattern matched (expect[${e.index}], line ${e.location.line})`);
        return;
      }
      if (item.verdict.status !== 'pending' || !this.eligible(item, event)) continue;
      if (e.kind === 'results') this.countCase(item, event);
      else if (e.kind === 'breakpoint' || e.kind === 'watch') this.count(item, event);
      else this.pass(item, event);
    }
    this.checkAllMet(event.t);
  }

  /**
   * A hit decides at once when it breaks the count (above max) or a check, or when it reaches a count
   * with no upper bound; an exact or bounded count can only be decided when the run ends.
   */
  private count(item: Tracked, event: ObservedEvent): void {
    const e = item.expectation as Extract<Expectation, { kind: 'breakpoint' | 'watch' }>;
    item.hits++;
    item.lastCountedAt = event.t;
    const at = `${event.hit!.where} on vCPU ${event.hit!.vcpu} at +${event.t.toFixed(1)} ms`;
    if (event.hit!.checkFailure) {
      this.decide(item, { status: 'failed', t: event.t, reason: `hit ${item.hits} (${at}): ${event.hit!.checkFailure}` });
    } else if (e.count.max !== undefined && item.hits > e.count.max) {
      this.decide(item, { status: 'failed', t: event.t, reason: `hit ${item.hits} time${item.hits === 1 ? '' : 's'}, expected ${countText(e.count).replace(/^hit /, '')}; hit ${item.hits} was ${at}` });
    } else if (e.count.max === undefined && item.hits >= e.count.min) {
      this.decide(item, { status: 'passed', t: event.t, detail: `hit ${item.hits === 1 ? 'once' : `${item.hits} times`}, last ${at}` }, event);
      if (this.hasOrdering) this.settleFollowers(item);
    } else if (item.hits === e.count.min) {
      // Provisionally met: followers may start counting from here.
      item.metBy = event;
      if (this.hasOrdering) this.settleFollowers(item);
    }
  }

  /**
   * A selected case ending with another status fails at once, as does one case too many. One named
   * case passes when it ends; a selection of several stays open to the end of the run, since a later
   * case may still fail.
   */
  private countCase(item: Tracked, event: ObservedEvent): void {
    const e = item.expectation as Extract<Expectation, { kind: 'results' }>;
    const guestCase = event.guestCase!;
    const id = caseId(guestCase.suite, guestCase.case);
    item.hits++;
    item.lastCountedAt = event.t;
    if (event.caseLine !== undefined) this.metLine.set(e.index, event.caseLine);
    else this.metLine.delete(e.index);
    if (guestCase.status !== e.status) {
      this.decide(item, { status: 'failed', t: event.t, reason: `${e.format} case ${id} ${guestCase.status}, expected ${e.status}${failureText(guestCase)}` });
    } else if (e.count.max !== undefined && item.hits > e.count.max) {
      this.decide(item, { status: 'failed', t: event.t, reason: `${item.hits} cases ran, expected ${casesText(e.count)}; the last was ${id}` });
    } else if (selectsOneCase(e.select) && e.count.max === undefined && item.hits >= e.count.min) {
      this.decide(item, { status: 'passed', t: event.t, detail: `${id} ${guestCase.status} at +${event.t.toFixed(1)} ms` }, event);
      if (this.hasOrdering) this.settleFollowers(item);
    } else if (item.hits === e.count.min) {
      item.metBy = event;
      if (this.hasOrdering) this.settleFollowers(item);
    }
  }

  /** Exact and bounded counts hold for now, though only the end of the run decides them. */
  private satisfiedSoFar(item: Tracked): boolean {
    const e = item.expectation;
    if (e.kind !== 'breakpoint' && e.kind !== 'watch' && e.kind !== 'results') return false;
    return item.verdict.status === 'pending' && item.hits >= e.count.min && (e.count.max === undefined || item.hits <= e.count.max);
  }

  /** A selection of several guest cases is only complete when the guest's output is. */
  private keepsRunOpen(item: Tracked): boolean {
    return !this.casesOver && item.expectation.kind === 'results' && item.verdict.status === 'pending' && !selectsOneCase(item.expectation.select);
  }

  private resultEvents(events: { channel: Channel; event: ResultEvent }[], t: number, line?: string): void {
    for (const { channel, event } of events) {
      if (this.finish) return;
      switch (event.type) {
        case 'case-finished':
          this.observe({ source: 'results', resultChannel: channel, guestCase: event.case, t, seq: 0, ...(line !== undefined ? { caseLine: line } : {}) });
          break;
        case 'crash-detected':
          this.timeline.add({ kind: 'crash', t, crash: event.kind, ...(event.case ? { case: event.case } : {}), line: event.line });
          this.crashSeen(event.kind, t, event);
          break;
        case 'crash-completed':
          if (this.crashing) {
            this.end('crashed', t, crashCause(this.crashing));
          } else if (isFatal(event.crash.kind)) {
            // The guest cannot run another case: selections of cases are complete.
            this.casesOver = true;
            this.checkAllMet(t);
          }
          break;
        case 'diagnostic':
          break;
      }
    }
  }

  /** Ends what the parsers still hold: the running case, an unfinished crash dump. */
  private flushResults(t: number): void {
    if (!this.finish) this.resultEvents(this.results.finish(), t);
  }

  private crashSeen(kind: CrashKind | 'reset', t: number, detected?: { case?: string; line: string }): void {
    const expected = this.scenario.crash;
    if (expected.kind === 'expected') {
      if (this.crashVerdict.status === 'pending' && (expected.crash === 'any' || expected.crash === kind)) {
        this.decideCrash({ status: 'passed', t, detail: `${kind}${detected?.case ? ` during ${detected.case}` : ''} at +${t.toFixed(1)} ms${detected ? `: ${JSON.stringify(detected.line)}` : ''}` });
        this.checkAllMet(t);
      }
      return;
    }
    // A reset ends the run by itself and is judged as an exit; only printed crashes end it here.
    if (expected.kind === 'allowed' || kind === 'reset' || !detected || this.crashing) return;
    this.crashing = { kind, ...(detected.case ? { case: detected.case } : {}), line: detected.line, t };
    for (const listener of this.crashListeners) listener(this.crashing);
  }

  private record(event: ObservedEvent, matching: Tracked[]): void {
    const matched = matching.map((i) => i.expectation.index);
    if (event.source === 'port80') this.timeline.add({ kind: 'code', t: event.t, code: event.code!, stage: stageOf(event.code!) });
    else if (event.source === 'debugger') this.timeline.add({ kind: 'hit', t: event.t, where: event.hit!.where, vcpu: event.hit!.vcpu, matched });
    else if (event.source === 'results') {
      const c = event.guestCase!;
      this.timeline.add({ kind: 'case', t: event.t, format: c.format, id: caseId(c.suite, c.case), status: c.status, matched });
    }
    else if (event.rows && matched.length > 0) {
      const first = matching[0]!.expectation as Extract<Expectation, { kind: 'screen' | 'never' }> & { pattern: Pattern };
      this.timeline.add({ kind: 'line', t: event.t, channel: event.source, text: matchingRow(first.pattern, event.rows)?.text ?? '', matched });
    }
    else if (matched.length > 0) this.timeline.add({ kind: 'line', t: event.t, channel: event.source, text: event.text!, matched });
  }

  private eligible(item: Tracked, event: ObservedEvent): boolean {
    const after = item.expectation.after;
    if (after === undefined) return true;
    const metBy = this.tracked[after]!.metBy;
    if (!metBy) return false;
    // Cases read from a channel are in exact order with that channel's lines.
    // A screen that met the one before also counts: both are on it at once.
    if (streamOf(metBy) === streamOf(event)) return metBy.seq < event.seq || (event.rows !== undefined && metBy === event);
    return event.t >= metBy.t - CROSS_CHANNEL_TOLERANCE_MS;
  }

  private pass(item: Tracked, event: ObservedEvent): void {
    if (event.text !== undefined) this.metLine.set(item.expectation.index, event.text);
    const what = event.source === 'port80' ? `code ${formatCode(event.code!)}`
      : event.rows ? describeScreenMatch(event.source, (item.expectation as Extract<Expectation, { kind: 'screen' }>).pattern, event.rows) : `${event.source} line ${JSON.stringify(event.text)}`;
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
      if (follower.expectation.kind === 'send') {
        this.send(follower, item.metBy!.t);
        continue;
      }
      const earlier = this.recent.filter((event) => this.eligible(follower, event) && follower.matches(event));
      const kind = follower.expectation.kind;
      // A counted follower counts every such hit (its count may need several); others pass on the first.
      if (kind === 'breakpoint' || kind === 'watch' || kind === 'results') {
        for (const event of earlier) {
          if (follower.verdict.status !== 'pending') break;
          if (kind === 'results') this.countCase(follower, event);
          else this.count(follower, event);
        }
      } else if (earlier[0]) this.pass(follower, earlier[0]);
    }
  }

  /** Sends the input now: an event on its channel, so only output read after it counts for its followers. */
  private send(item: Tracked, t: number): void {
    const e = item.expectation as Extract<Expectation, { kind: 'send' }>;
    const event: ObservedEvent = { source: e.channel, t, seq: ++this.seq };
    this.timeline.add({ kind: 'send', t, channel: e.channel, text: e.text });
    for (const listener of this.sendListeners) listener(e.channel, e.text);
    this.decide(item, { status: 'passed', t, detail: `sent at +${t.toFixed(1)} ms` }, event);
    this.settleFollowers(item);
  }

  /**
   * Fails what took longer than its own `timeout` since it could be met, and what waits on it: a
   * conversation with the guest stops at the step that got no answer.
   */
  tick(t: number): void {
    if (this.finish) return;
    let changed = false;
    for (const item of this.tracked) {
      const { timeout, after } = item.expectation;
      if (timeout === undefined || item.verdict.status !== 'pending' || this.satisfiedSoFar(item)) continue;
      const since = after === undefined ? 0 : this.tracked[after]!.metBy?.t;
      if (since === undefined || t - since < timeout * 1000) continue;
      const from = after === undefined ? 'of the start' : `of expect[${after}] being met at +${since.toFixed(1)} ms`;
      this.decide(item, { status: 'failed', t, reason: `not seen within ${timeout} s ${from}` });
      this.failFollowers(item, t);
      changed = true;
    }
    if (changed) this.checkAllMet(t);
  }

  private failFollowers(item: Tracked, t: number): void {
    for (const follower of this.tracked) {
      if (follower.expectation.after !== item.expectation.index || follower.verdict.status !== 'pending') continue;
      this.decide(follower, { status: 'failed', t, reason: `not checked: expect[${item.expectation.index}] (which must come first) was not met` });
      this.failFollowers(follower, t);
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

  /** Timing is judged once the run is over, on what it recorded; a run broken off measures nothing. */
  private judgeTimings(reason: FinishReason, t: number, cause: string): void {
    const facts: TimingFacts = {
      stageStarts: this.stageStarts,
      stageEnds: this.stageEnds,
      exitAt: this.exitAt,
      runEnd: t,
      // A counted expectation passed at the end of the run holds since its last hit or case.
      metAt: (index) => { const item = this.tracked[index]!; return item.verdict.status === 'passed' ? item.lastCountedAt ?? item.verdict.t : undefined; },
      metLine: (index) => this.metLine.get(index),
      faultAt: (index) => this.firstInjection.get(index),
    };
    this.timingMeasurements = this.scenario.timing.map((a) => (reason === 'error' ? { missing: cause } : measureTiming(a, facts)));
    this.timingVerdicts = this.scenario.timing.map((a, i) => judgeMeasurements(a, [this.timingMeasurements[i]!], t, this.baselines[i]));
    this.timingVerdicts.forEach((verdict, i) => { for (const listener of this.listeners) listener(`timing-${i}`, verdict); });
  }

  private decideCrash(verdict: Verdict): void {
    this.crashVerdict = verdict;
    for (const listener of this.listeners) listener('crash', verdict);
  }

  /** With every positive expectation met and no exit expected, the verdict is known: stop now. */
  private checkAllMet(t: number): void {
    // A crash ending the run ends it once its dump is read, so the failure can show it.
    if (this.finish || this.scenario.exit || this.crashing) return;
    if (this.scenario.crash.kind === 'expected' && this.crashVerdict.status === 'pending') return;
    // Counts that allow zero hits (count 0, {max: N}) only fail by hits, like a never: they cannot end the run.
    const positives = this.tracked.filter((i) => i.expectation.kind !== 'never' && !(isCounted(i.expectation) && i.expectation.count.min === 0));
    if (positives.some((i) => this.keepsRunOpen(i))) return;
    const crashExpected = this.scenario.crash.kind === 'expected';
    // A failed count or check is decided too: once nothing is left open, the run has nothing more to show.
    if ((positives.length > 0 || crashExpected) && positives.every((i) => i.verdict.status !== 'pending' || this.satisfiedSoFar(i))) {
      const allMet = positives.every((i) => i.verdict.status !== 'failed') && this.crashVerdict.status !== 'failed';
      this.end('verdict-known', t, allMet ? 'all expectations met' : 'every expectation decided');
    }
  }

  private end(reason: FinishReason, t: number, cause: string): void {
    this.finish = { reason, t, cause };
    const cleanEnd = reason === 'verdict-known' || reason === 'guest-exit' || reason === 'guest-end' || reason === 'timeout';
    for (const item of this.tracked) {
      if (item.verdict.status !== 'pending') continue;
      if (this.satisfiedSoFar(item)) {
        this.decide(item, cleanEnd ? { status: 'passed', t, detail: `hit ${item.hits} time${item.hits === 1 ? '' : 's'} during the run` } : { status: 'failed', t, reason: `not counted to the end: ${cause}` });
        continue;
      }
      const counted = item.expectation;
      if (counted.kind === 'results' && item.hits === 0 && selectsOneCase(counted.select)) {
        this.decide(item, { status: 'failed', t, reason: `${counted.format} case ${oneCaseName(counted.select)} did not run (${cause})` });
        continue;
      }
      if (counted.kind === 'results') {
        this.decide(item, { status: 'failed', t, reason: cleanEnd ? `${item.hits} case${item.hits === 1 ? '' : 's'} ran, expected ${casesText(counted.count)} (${cause})` : `not counted: ${cause}` });
        continue;
      }
      if (counted.kind === 'breakpoint' || counted.kind === 'watch') {
        this.decide(item, { status: 'failed', t, reason: cleanEnd ? `hit ${item.hits} time${item.hits === 1 ? '' : 's'}, expected ${countText(counted.count).replace(/^hit /, '')} (${cause})` : `not counted: ${cause}` });
        continue;
      }
      if (item.expectation.kind === 'never') {
        this.decide(item, cleanEnd ? { status: 'passed', t, detail: `did not appear during the ${t.toFixed(1)} ms run` } : { status: 'failed', t, reason: `not checked to the end: ${cause}` });
        continue;
      }
      const after = item.expectation.after;
      const blocked = after !== undefined && this.tracked[after]!.verdict.status !== 'passed';
      const unmet = item.expectation.kind === 'send' ? 'not sent' : 'not seen';
      this.decide(item, { status: 'failed', t, reason: blocked ? `not checked: expect[${after}] (which must come first) was not met` : `${unmet}: ${cause}` });
    }
    if (this.scenario.crash.kind === 'expected' && this.crashVerdict.status === 'pending') {
      this.decideCrash({ status: 'failed', t, reason: `no ${this.scenario.crash.crash === 'any' ? 'crash' : this.scenario.crash.crash} seen: ${cause}` });
    }
    this.judgeTimings(reason, t, cause);
    if (this.scenario.exit && this.exitVerdict.status === 'pending') {
      this.decideExit({ status: 'failed', t, reason: reason === 'timeout' ? `the guest did not exit within ${this.scenario.timeout} s` : `not reached: ${cause}` });
    }
  }
}

function isCounted(e: Expectation): e is Extract<Expectation, { kind: 'breakpoint' | 'watch' | 'results' }> {
  return e.kind === 'breakpoint' || e.kind === 'watch' || e.kind === 'results';
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

function streamOf(event: ObservedEvent): Source {
  return event.resultChannel ?? event.source;
}

function crashCause(crash: CrashInProgress): string {
  return `the guest crashed (${crash.kind}${crash.case ? ` during ${crash.case}` : ''}): ${JSON.stringify(crash.line)}`;
}

/** The guest's first failure message for a case, as a suffix of the failure reason. */
function failureText(guestCase: GuestCase): string {
  const first = guestCase.failures[0];
  if (!first) return '';
  const where = first.file ? ` (${first.file}${first.line !== undefined ? `:${first.line}` : ''})` : '';
  const more = guestCase.failures.length > 1 ? ` and ${guestCase.failures.length - 1} more` : '';
  return `: ${first.message}${where}${more}`;
}

function matcherFor(e: Expectation): (event: ObservedEvent) => boolean {
  switch (e.kind) {
    case 'text': return lineMatcher(e.channel, e.pattern);
    case 'never': return e.channel === 'port80' ? codeMatcher(e.code) : e.screen ? screenMatcher(e.channel, e.pattern) : lineMatcher(e.channel, e.pattern);
    case 'screen': return screenMatcher(e.channel, e.pattern);
    case 'code': return codeMatcher(e.code);
    case 'stage': return codeMatcher(e.stage);
    case 'breakpoint':
      return (event) => event.source === 'debugger' && event.hit!.expectations.includes(e.index) && (e.vcpu === undefined || event.hit!.vcpu === e.vcpu);
    case 'watch':
      return (event) => event.source === 'debugger' && event.hit!.expectations.includes(e.index);
    case 'send': return () => false;
    case 'results': {
      const selected = compileCaseSelector(e.select);
      // "These cases pass" lets cases the guest skipped be (KUnit's reading); one named case must pass.
      const skipsIgnored = e.status === 'passed' && !selectsOneCase(e.select);
      return (event) => event.source === 'results' && event.resultChannel === e.channel && event.guestCase!.format === e.format
        && selected(event.guestCase!) && !(skipsIgnored && event.guestCase!.status === 'skipped');
    }
  }
}

function lineMatcher(channel: Channel, pattern: Pattern): (event: ObservedEvent) => boolean {
  const predicate: LinePredicate = compilePattern(pattern);
  return (event) => event.source === channel && event.text !== undefined && predicate(event.text);
}

function codeMatcher(match: CodeMatch): (event: ObservedEvent) => boolean {
  return (event) => event.source === 'port80' && codeMatches(match, event.code!);
}

function exitMatches(exit: ExitExpectation, meaning: ExitMeaning): boolean {
  switch (exit.kind) {
    // The guest must have ended the run: not QEMU failing, not us, not a signal from outside.
    case 'any': return meaning.kind === 'debug-exit' || meaning.kind === 'poweroff' || meaning.kind === 'reset' || meaning.kind === 'status' || meaning.kind === 'end-condition';
    case 'reset': return meaning.kind === 'reset';
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
    case 'reset': return 'a guest reset or triple fault';
    case 'poweroff': return 'a power-off';
    case 'debug-exit': return `debug-exit value ${exit.value} (QEMU status ${debugExitStatus(exit.value)})`;
    case 'status': return `QEMU status ${exit.status}`;
  }
}
