// The event timeline of one run: what happened when, capped so a chatty guest cannot grow it.
import type { Channel } from '../scenario/model.js';
import { formatCode, type StageName } from '../scenario/stages.js';
import { describeExit, type ExitMeaning } from '../results/exit-status.js';
import type { CaseStatus } from '../results/guest-case.js';
import type { CrashKind } from '../results/guest-crash.js';

export type TimelineEvent = TimelineEventOfKind & {
  /** Met by the run that saved this snapshot (its short key), before this run resumed from it. */
  fromSnapshot?: string;
};

type TimelineEventOfKind =
  | { kind: 'line'; t: number; channel: Channel; text: string; matched: number[] }
  | { kind: 'code'; t: number; code: number; stage: StageName }
  /** `count`: hits the TCG plugin counted since its previous batch (at most a batch interval before t). */
  | { kind: 'hit'; t: number; where: string; vcpu: number; matched: number[]; count?: number }
  /** A breakpoint or watchpoint taken out of the guest once its hits could change nothing: later ones are not seen. */
  | { kind: 'disarmed'; t: number; where: string }
  | { kind: 'fault'; t: number; fn: string; value: string; mode: 'skip' | 'override'; call: number }
  | { kind: 'case'; t: number; format: string; id: string; status: CaseStatus; matched: number[] }
  | { kind: 'crash'; t: number; crash: CrashKind; case?: string; line: string }
  | { kind: 'send'; t: number; channel: Channel; text: string }
  | { kind: 'exit'; t: number; meaning: ExitMeaning }
  | { kind: 'timeout'; t: number; seconds: number }
  /** Where a vCPU was when the run ended with the guest still running (read through the GDB stub). */
  | { kind: 'halted'; t: number; vcpu: number; where: string };

export const MAX_TIMELINE_EVENTS = 2000;

/**
 * Keeps the head (boot order) and the last events (how it ended), and counts the middle it drops. The
 * last ones live in a ring: a guest flooding a matched channel adds an event per line, at constant cost.
 */
export class Timeline {
  private readonly head: TimelineEvent[] = [];
  private readonly tail: TimelineEvent[] = [];
  /** Where the oldest event of a full tail is. */
  private tailStart = 0;
  dropped = 0;

  add(event: TimelineEvent): void {
    if (this.head.length < MAX_TIMELINE_EVENTS / 2) {
      this.head.push(event);
    } else if (this.tail.length < MAX_TIMELINE_EVENTS / 2) {
      this.tail.push(event);
    } else {
      this.tail[this.tailStart] = event;
      this.tailStart = (this.tailStart + 1) % this.tail.length;
      this.dropped++;
    }
  }

  /** In the order they were added, the dropped middle left out. */
  get events(): TimelineEvent[] {
    return [...this.head, ...this.tail.slice(this.tailStart), ...this.tail.slice(0, this.tailStart)];
  }
}

export function formatEvent(event: TimelineEvent): string {
  const text = formatKind(event);
  return event.fromSnapshot ? `${text} (from snapshot ${event.fromSnapshot})` : text;
}

function formatKind(event: TimelineEvent): string {
  const t = `+${event.t.toFixed(1).padStart(8)} ms`;
  switch (event.kind) {
    case 'line': return `${t}  ${event.channel.padEnd(8)} ${JSON.stringify(event.text)}${matchedText(event.matched)}`;
    case 'code': return `${t}  codes   ${formatCode(event.code)} (${event.stage})`;
    case 'hit': return `${t}  hit      ${event.where} (vCPU ${event.vcpu})${event.count !== undefined ? ` x${event.count}, counted` : ''}${matchedText(event.matched)}`;
    case 'disarmed': return `${t}  disarmed ${event.where}: nothing left to count or inject, later hits go unseen`;
    case 'fault': return `${t}  fault    ${event.fn} returns ${event.value} (${event.mode}, call ${event.call})`;
    case 'case': return `${t}  ${event.format.padEnd(8)} ${event.id} ${event.status}${matchedText(event.matched)}`;
    case 'crash': return `${t}  crash    ${event.crash}${event.case ? ` during ${event.case}` : ''}: ${JSON.stringify(event.line)}`;
    case 'send': return `${t}  send     ${JSON.stringify(event.text)} to ${event.channel}`;
    case 'exit': return `${t}  exit     ${describeExit(event.meaning)}`;
    case 'timeout': return `${t}  timeout  after ${event.seconds} s`;
    case 'halted': return `${t}  halted   vCPU ${event.vcpu} at ${event.where}`;
  }
}

function matchedText(matched: number[]): string {
  return matched.length ? ` (expect[${matched.join('], expect[')}])` : '';
}

export function formatTimeline(timeline: Timeline, limit = 40): string[] {
  const events = timeline.events;
  const shown = events.length > limit ? events.slice(-limit) : events;
  const skipped = events.length - shown.length + timeline.dropped;
  return [...(skipped > 0 ? [`(${skipped} earlier events not shown)`] : []), ...shown.map(formatEvent)];
}
