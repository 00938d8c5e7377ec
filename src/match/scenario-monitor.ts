// Decides each expectation of a scenario from the stream of run events, as soon as it can be decided.
// Each kind's matching and verdicts are its rule's (expectations/); here are what all kinds share:
// `after:` order, step timeouts, the timeline, and how and when the run ends.
import type { Channel, Scenario, Stream } from '../scenario/model.js';
import type { StageName } from '../scenario/stages.js';
import type { BaselineLookup } from './baseline.js';
import type { TimingMeasurement } from './timing.js';
import { describeExit, type ExitMeaning } from '../results/exit-status.js';
import { Timeline, type TimelineEvent } from '../timeline/timeline.js';
import type { FinishReason, Verdict } from './verdict.js';
import { GuestResults } from './guest-results.js';
import { isFatal, type CrashKind } from '../results/guest-crash.js';
import type { ResultEvent } from '../results/result-events.js';
import type { DebuggerHit, ObservedEvent } from './observed-event.js';
import { comesAfter, RecentEvents } from './event-order.js';
import { timelineEvent } from './event-timeline.js';
import { EndConditions } from './end-conditions.js';
import { RunTimings } from './run-timings.js';
import { exitNotReached, judgeExit } from './exit-rule.js';
import { crashCause, CrashRule, type CrashInProgress } from './crash-rule.js';
import { ruleFor } from './expectations/registry.js';
import { leaderUnmetReason, type ExpectationRule, type RuleOutcome, type StepInput } from './expectations/rule.js';
import { promptsOf } from './expectations/send-step.js';

export { CROSS_CHANNEL_TOLERANCE_MS } from './event-order.js';
export type { DebuggerHit } from './observed-event.js';
export type { CrashInProgress } from './crash-rule.js';

interface Tracked {
  index: number;
  rule: ExpectationRule;
  /** The expectation that must be met first. */
  after: number | undefined;
  /** Seconds it may take once it can be met: a step timeout, checked by `tick`. */
  timeout: number | undefined;
  verdict: Verdict;
  /** The event that met it (or a count's minimum, for now): `after` counts only events after this one. */
  metBy?: ObservedEvent;
}

/** An expectation by index, the scenario's `exit`, or its `crash: expected`. */
export type VerdictKey = number | 'exit' | 'crash' | `timing-${number}`;
export type VerdictListener = (key: VerdictKey, verdict: Verdict) => void;

export class ScenarioMonitor {
  readonly timeline = new Timeline();
  private readonly tracked: Tracked[];
  private readonly hasOrdering: boolean;
  private readonly recent = new RecentEvents();
  private exitVerdict: Verdict = { status: 'pending' };
  private crashVerdict: Verdict = { status: 'pending' };
  private readonly crash: CrashRule;
  private seq = 0;
  private finish: { reason: FinishReason; t: number; cause: string } | undefined;
  private readonly listeners: VerdictListener[] = [];
  private readonly crashListeners: ((crash: CrashInProgress) => void)[] = [];
  private readonly sendListeners: ((channel: Channel, text: string) => void)[] = [];
  /** The guest's own test cases and crash screens. */
  readonly results: GuestResults;
  /** What timing assertions measure, and their verdicts once the run is over. */
  private readonly timings: RunTimings;
  /** The text expectations that sends wait on. */
  private readonly prompts: { index: number; channel: Channel }[];
  private readonly endConditions: EndConditions;
  /** Set after a fatal crash: no more guest cases can come. */
  private casesOver = false;

  /** `baselines`: for each timing assertion with a `baseline:` limit, its recorded figure (see loadBaselines). */
  constructor(private readonly scenario: Pick<Scenario, 'expectations' | 'exit' | 'timeout' | 'crash' | 'end' | 'formats' | 'timing' | 'snapshot'>, baselines: readonly (BaselineLookup | undefined)[] = []) {
    this.timings = new RunTimings(scenario.timing, baselines);
    this.tracked = scenario.expectations.map((e) => ({ index: e.index, rule: ruleFor(e), after: e.after, timeout: e.timeout, verdict: { status: 'pending' } }));
    this.hasOrdering = scenario.expectations.some((e) => e.after !== undefined);
    this.results = new GuestResults(scenario);
    this.crash = new CrashRule(scenario.crash);
    this.prompts = promptsOf(scenario.expectations, scenario.snapshot?.index);
    this.promptChannels = new Set(this.prompts.map((p) => p.channel));
    this.endConditions = new EndConditions(scenario.end);
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
    if (typeof key === 'string' && key.startsWith('timing-')) return this.timings.verdicts[Number(key.slice('timing-'.length))] ?? { status: 'pending' };
    return key === 'exit' ? this.exitVerdict : key === 'crash' ? this.crashVerdict : this.tracked[key as number]!.verdict;
  }

  get finished(): { reason: FinishReason; t: number; cause: string } | undefined {
    return this.finish;
  }

  /** Each timing assertion's figure in this run (none before it ends), for judging over repeated runs. */
  get timingMeasurements(): TimingMeasurement[] {
    return this.timings.measurements;
  }

  line(channel: Channel, text: string, t: number): void {
    // Results first: a uktest case ends at the line that starts the next one, so it comes before that line.
    if (!this.finish) this.resultEvents(this.results.line(channel, text), t, text);
    this.observe({ source: channel, text, t, seq: 0 });
    const end = this.endConditions.line(channel, text);
    if (end && !this.finish) this.endCondition(end, t);
  }

  /** A channel drawn as a screen changed: its rows, matched one by one, like a line checked before any end. */
  screen(channel: Channel, rows: readonly string[], t: number): void {
    this.observe({ source: channel, rows, t, seq: 0 });
    const end = this.endConditions.screen(channel, rows);
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
    for (const prompt of this.prompts) {
      const item = this.tracked[prompt.index]!;
      if (prompt.channel !== channel || item.verdict.status !== 'pending') continue;
      const event: ObservedEvent = { source: channel, text, t, seq: ++this.seq };
      if (!item.rule.matches(event) || !this.eligible(item, event)) continue;
      this.timeline.add({ kind: 'line', t, channel, text, matched: [item.index] });
      this.apply(item, item.rule.observe(event), event);
    }
    this.checkAllMet(t);
  }

  /** The crash that began at `crashing` printed no end of its dump in time: end with what was read. */
  endCrashDump(t: number): void {
    if (!this.crash.crashing || this.finish) return;
    this.flushResults(t);
    if (!this.finish) this.end('crashed', t, crashCause(this.crash.crashing));
  }

  code(code: number, t: number): void {
    if (!this.finish) this.timings.stages.code(code, t);
    this.observe({ source: 'codes', code, t, seq: 0 });
    // Like an end line, the code is checked against the expectations first.
    const end = this.endConditions.code(code);
    if (end !== undefined && !this.finish) this.endCondition(end, t);
  }

  /** Each stage that began: when, and when it ended (undefined: still running when the run ended). */
  stageSpans(): { stage: StageName; start: number; end?: number }[] {
    return this.timings.stages.spans();
  }

  /** A fault the debugger session injected: a timeline event, and a timing point at its first injection. */
  fault(index: number, fn: string, value: string, mode: 'skip' | 'override', call: number, t: number): void {
    if (this.finish) return;
    this.timeline.add({ kind: 'fault', t, fn, value, mode, call });
    this.timings.fault(index, t);
  }

  /**
   * The run resumes a machine saved at a snapshot point: the prefix's expectations were met by the run
   * that saved it (`label`: its short key), at those times, and its timeline comes first. What waits on the
   * point (a send, an `after:`) goes on from here, as if it had just been met.
   */
  restorePrefix(prefix: { met: readonly { index: number; t: number; detail: string }[]; events: readonly TimelineEvent[] }, label: string): void {
    for (const event of prefix.events) {
      this.timeline.add({ ...event, fromSnapshot: label });
      if (event.kind === 'code') this.timings.stages.code(event.code, event.t);
    }
    const restored = prefix.met.map(({ index, t, detail }) => {
      const item = this.tracked[index]!;
      const expectation = this.scenario.expectations[index]!;
      const source = 'channel' in expectation ? expectation.channel : expectation.kind === 'code' || expectation.kind === 'stage' ? 'codes' : 'debugger';
      this.decide(item, { status: 'passed', t, detail: `${detail} (from snapshot ${label})` }, { source, t, seq: ++this.seq });
      return item;
    });
    if (this.hasOrdering) for (const item of restored) this.settleFollowers(item);
  }

  /** A breakpoint or watchpoint hit reported by the debugger session. */
  hit(hit: DebuggerHit, t: number): void {
    this.observe({ source: 'debugger', hit, t, seq: 0 });
  }

  /**
   * How far the TCG plugin's batches have come: every batch stamped before `t` was handed to `hit` (-Infinity
   * before the first, Infinity once its stream ended). A batch arrives after events stamped later; what came
   * after its time stays at hand for the `after:` followers of what it meets.
   */
  countedUpTo(t: number): void {
    this.recent.lateStreamAt(t);
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
    this.timings.exitAt = t;
    this.timeline.add({ kind: 'exit', t, meaning });
    if (meaning.kind === 'reset') this.crashSeen('reset', t);
    const judged = judgeExit(this.scenario.exit, this.scenario.crash, meaning, t);
    if (judged.verdict) this.decideExit(judged.verdict);
    if (judged.crash) this.end('crashed', t, judged.crash);
    else this.end(reason, t, `the guest ended first: ${describeExit(meaning)}`);
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

  /**
   * Fails what took longer than its own `timeout` since it could be met, and what waits on it: a
   * conversation with the guest stops at the step that got no answer.
   */
  tick(t: number): void {
    if (this.finish) return;
    let changed = false;
    for (const item of this.tracked) {
      const { timeout, after } = item;
      if (timeout === undefined || item.verdict.status !== 'pending' || item.rule.holdsSoFar()) continue;
      const since = after === undefined ? 0 : this.tracked[after]!.metBy?.t;
      if (since === undefined || t - since < timeout * 1000) continue;
      const from = after === undefined ? 'of the start' : `of expect[${after}] being met at +${since.toFixed(1)} ms`;
      this.decide(item, { status: 'failed', t, reason: `not seen within ${timeout} s ${from}` });
      this.failFollowers(item, t);
      changed = true;
    }
    if (changed) this.checkAllMet(t);
  }

  private observe(event: ObservedEvent): void {
    if (this.finish) return;
    event.seq = ++this.seq;
    // A screen shows the same rows check after check: only what is still undecided is matched again.
    const matching = this.tracked.filter((item) => item.rule.matches(event) && (!event.rows || item.verdict.status === 'pending'));
    const entry = timelineEvent(event, matching);
    if (entry) this.timeline.add(entry);
    if (this.hasOrdering) this.recent.remember(event);
    for (const item of matching) {
      if (item.verdict.status !== 'pending' || !this.eligible(item, event)) continue;
      this.apply(item, item.rule.observe(event), event);
    }
    this.checkAllMet(event.t);
  }

  /** What an event did to an expectation: a pass, or a count met for now, lets its followers start after it. */
  private apply(item: Tracked, outcome: RuleOutcome, event: ObservedEvent): void {
    switch (outcome.kind) {
      case 'counted': return;
      case 'met-for-now':
        item.metBy = event;
        if (this.hasOrdering) this.settleFollowers(item);
        return;
      case 'decided':
        this.decide(item, outcome.verdict, event);
        if (outcome.verdict.status === 'passed' && this.hasOrdering) this.settleFollowers(item);
        return;
      case 'ends-run':
        this.decide(item, outcome.verdict, event);
        this.end(outcome.reason, event.t, outcome.cause);
        return;
    }
  }

  /**
   * Events already seen may count for the followers of an expectation that was just met: those on other
   * channels within the tolerance, and those a late-met expectation now precedes on its own channel. A
   * step acts now instead.
   */
  private settleFollowers(item: Tracked): void {
    for (const follower of this.tracked) {
      if (follower.after !== item.index || follower.verdict.status !== 'pending') continue;
      const input = follower.rule.leaderMet?.(item.metBy!.t);
      if (input) {
        this.send(follower, input, item.metBy!.t);
        continue;
      }
      const earlier = this.recent.all.filter((event) => this.eligible(follower, event) && follower.rule.matches(event));
      // A counted follower counts every such event (its count may need several); others pass on the first.
      for (const event of earlier) {
        if (follower.verdict.status !== 'pending') break;
        this.apply(follower, follower.rule.observe(event), event);
      }
    }
  }

  /** Sends the input now: an event on its channel, so only output read after it counts for its followers. */
  private send(item: Tracked, input: StepInput, t: number): void {
    const event: ObservedEvent = { source: input.channel, t, seq: ++this.seq };
    this.timeline.add({ kind: 'send', t, channel: input.channel, text: input.text });
    for (const listener of this.sendListeners) listener(input.channel, input.text);
    this.decide(item, input.verdict, event);
    this.settleFollowers(item);
  }

  private failFollowers(item: Tracked, t: number): void {
    for (const follower of this.tracked) {
      if (follower.after !== item.index || follower.verdict.status !== 'pending') continue;
      this.decide(follower, { status: 'failed', t, reason: leaderUnmetReason(item.index) });
      this.failFollowers(follower, t);
    }
  }

  private eligible(item: Tracked, event: ObservedEvent): boolean {
    if (item.after === undefined) return true;
    const metBy = this.tracked[item.after]!.metBy;
    return metBy !== undefined && comesAfter(metBy, event);
  }

  private decide(item: Tracked, verdict: Verdict, event?: ObservedEvent): void {
    item.verdict = verdict;
    if (verdict.status === 'passed') item.metBy = event;
    for (const listener of this.listeners) listener(item.index, verdict);
  }

  private decideExit(verdict: Verdict): void {
    this.exitVerdict = verdict;
    for (const listener of this.listeners) listener('exit', verdict);
  }

  private decideCrash(verdict: Verdict): void {
    this.crashVerdict = verdict;
    for (const listener of this.listeners) listener('crash', verdict);
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
          if (this.crash.crashing) {
            this.end('crashed', t, crashCause(this.crash.crashing));
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
    const outcome = this.crash.seen(kind, t, this.crashVerdict.status === 'pending', detected);
    if (outcome?.kind === 'met') {
      this.decideCrash(outcome.verdict);
      this.checkAllMet(t);
    } else if (outcome?.kind === 'ending') {
      for (const listener of this.crashListeners) listener(outcome.crash);
    }
  }

  /** With every awaited expectation met and no exit expected, the verdict is known: stop now. */
  private checkAllMet(t: number): void {
    // A crash ending the run ends it once its dump is read, so the failure can show it.
    if (this.finish || this.scenario.exit || this.crash.crashing) return;
    const crashAwaited = this.crash.awaited;
    if (crashAwaited && this.crashVerdict.status === 'pending') return;
    const awaited = this.tracked.filter((i) => i.rule.awaited);
    if (awaited.some((i) => i.verdict.status === 'pending' && i.rule.keepsRunOpen(this.casesOver))) return;
    // A failed count or check is decided too: once nothing is left open, the run has nothing more to show.
    if ((awaited.length > 0 || crashAwaited) && awaited.every((i) => i.verdict.status !== 'pending' || i.rule.holdsSoFar())) {
      const allMet = awaited.every((i) => i.verdict.status !== 'failed') && this.crashVerdict.status !== 'failed';
      this.end('verdict-known', t, allMet ? 'all expectations met' : 'every expectation decided');
    }
  }

  private end(reason: FinishReason, t: number, cause: string): void {
    this.finish = { reason, t, cause };
    const clean = reason === 'verdict-known' || reason === 'guest-exit' || reason === 'guest-end' || reason === 'timeout';
    for (const item of this.tracked) {
      if (item.verdict.status !== 'pending') continue;
      const unmetLeader = item.after !== undefined && this.tracked[item.after]!.verdict.status !== 'passed' ? item.after : undefined;
      this.decide(item, item.rule.atEnd({ t, cause, clean, ...(unmetLeader !== undefined ? { unmetLeader } : {}) }));
    }
    const noCrash = this.crashVerdict.status === 'pending' ? this.crash.notSeen(cause, t) : undefined;
    if (noCrash) this.decideCrash(noCrash);
    const timingVerdicts = this.timings.judge(reason, t, cause, {
      // A counted expectation passed at the end of the run holds since its last hit or case.
      metAt: (index) => { const item = this.tracked[index]!; return item.verdict.status === 'passed' ? item.rule.timingPoint(item.verdict.t) : undefined; },
      metLine: (index) => this.tracked[index]!.rule.metLine,
    });
    timingVerdicts.forEach((verdict, i) => { for (const listener of this.listeners) listener(`timing-${i}`, verdict); });
    if (this.scenario.exit && this.exitVerdict.status === 'pending') this.decideExit(exitNotReached(reason, this.scenario.timeout, cause, t));
  }
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}
