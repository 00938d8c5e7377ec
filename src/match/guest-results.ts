// The guest's own test results and crash screens, read from its text channels while the run goes on.
import type { Channel, Scenario } from '../scenario/model.js';
import { createGuestResultParser, type GuestFormatOption, type GuestResultParser } from '../results/guest-result-parser.js';
import type { GuestCase } from '../results/guest-case.js';
import type { GuestCrash } from '../results/guest-crash.js';
import type { ResultEvent } from '../results/result-events.js';
import { LineFormatParser } from '../results/line-format.js';

/** Cases kept for reports; a guest running more still has every case checked, the rest only counted. */
export const MAX_KEPT_CASES = 10_000;

export interface ChannelResultEvent {
  channel: Channel;
  event: ResultEvent;
}

/**
 * One parser per channel a guest prints results or crashes on. Crash screens are looked for on the
 * console, the debug console and (when attached) the virtio console in every scenario (a crash is a
 * failure unless the scenario says otherwise); test cases are read in the formats the scenario's expectations name, or
 * both when none does, so a crash is still attributed to the case that was running. The firmware port
 * is read only by scenarios whose results are printed there: elsewhere it holds the firmware's own log, which
 * is nobody's test output.
 */
export class GuestResults {
  readonly cases: GuestCase[] = [];
  droppedCases = 0;
  readonly crashes: GuestCrash[] = [];
  private readonly parsers: Map<Channel, GuestResultParser>;
  /** The scenario's own result-line formats, on the channels its expectations read them from. */
  private readonly lineParsers: { channel: Channel; parser: LineFormatParser }[] = [];

  constructor(scenario: Pick<Scenario, 'expectations' | 'formats'>) {
    const formats = new Map<Channel, Set<string>>();
    for (const e of scenario.expectations) {
      if (e.kind === 'results') formats.set(e.channel, (formats.get(e.channel) ?? new Set()).add(e.format));
    }
    const formatOf = (channel: Channel): GuestFormatOption => {
      const named = [...(formats.get(channel) ?? [])].filter((f) => f === 'uktest' || f === 'ktap');
      return named.length === 1 ? (named[0] as GuestFormatOption) : 'auto';
    };
    const read: Channel[] = ['console', 'debugcon', 'virtio', ...(formats.has('firmware') ? ['firmware' as const] : [])];
    this.parsers = new Map(read.map((c) => [c, createGuestResultParser({ format: formatOf(c) })]));
    for (const format of scenario.formats) {
      for (const [channel, named] of formats) if (named.has(format.name)) this.lineParsers.push({ channel, parser: new LineFormatParser(format) });
    }
  }

  line(channel: Channel, text: string): ChannelResultEvent[] {
    const parser = this.parsers.get(channel);
    if (!parser) return [];
    const events = this.collect(channel, parser.feedLine(text));
    for (const own of this.lineParsers) if (own.channel === channel) events.push(...this.collect(channel, own.parser.feedLine(text)));
    return events;
  }

  /** The output is over (or no longer read): ends the crash dumps and the cases in progress. */
  finish(): ChannelResultEvent[] {
    return [...this.parsers.entries()].flatMap(([channel, parser]) => this.collect(channel, parser.finish()));
  }

  private collect(channel: Channel, events: readonly ResultEvent[]): ChannelResultEvent[] {
    if (events.length === 0) return [];
    for (const event of events) {
      if (event.type === 'case-finished') {
        if (this.cases.length < MAX_KEPT_CASES) this.cases.push(event.case);
        else this.droppedCases++;
      } else if (event.type === 'crash-completed') {
        this.crashes.push(event.crash);
      }
    }
    return events.map((event) => ({ channel, event }));
  }
}
