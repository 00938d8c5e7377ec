// `after:` across channels: which events count as coming after the one that met an expectation.
import { streamOf, type ObservedEvent } from './observed-event.js';

/**
 * Each channel is its own socket, so the host sees the order of events on different channels only
 * as well as its reads allow: a console line written before a stage code was measured arriving
 * up to 0.3 ms after it (more under load). Events on different channels closer than this count as
 * simultaneous, so `after`/`ordered` accept them in either order; within one channel order is exact.
 */
export const CROSS_CHANNEL_TOLERANCE_MS = 10;
/** Bound on the events kept for that tolerance, whatever the guest floods. */
const MAX_RECENT_EVENTS = 1000;

/** Whether `event` may count for an expectation that comes after the one `metBy` met. */
export function comesAfter(metBy: ObservedEvent, event: ObservedEvent): boolean {
  // Cases read from a channel are in exact order with that channel's lines.
  // A screen that met the one before also counts: both are on it at once.
  if (streamOf(metBy) === streamOf(event)) return metBy.seq < event.seq || (event.rows !== undefined && metBy === event);
  return event.t >= metBy.t - CROSS_CHANNEL_TOLERANCE_MS;
}

/**
 * The events of the last tolerance: an expectation met now may let them count for its followers. With a late
 * stream (see `lateStreamAt`), back to the time it has delivered up to, less the tolerance.
 */
export class RecentEvents {
  private events: ObservedEvent[] = [];
  private latest = Number.NEGATIVE_INFINITY;
  private lateUpTo = Number.POSITIVE_INFINITY;

  remember(event: ObservedEvent): void {
    this.events.push(event);
    this.latest = Math.max(this.latest, event.t);
    const oldest = Math.min(this.latest, this.lateUpTo) - CROSS_CHANNEL_TOLERANCE_MS;
    if (this.events.length > MAX_RECENT_EVENTS || this.events[0]!.t < oldest) {
      this.events = this.events.filter((e) => e.t >= oldest).slice(-MAX_RECENT_EVENTS);
    }
  }

  /**
   * A stream whose events can arrive after events stamped later (the TCG plugin's batches, stamped when their
   * counts were read, then sent by a thread a loaded host may not run at once) has delivered everything stamped before `t`:
   * -Infinity before its first event, Infinity once it ended. Its next event may meet an expectation whose
   * followers count what arrived before it, so that is kept.
   */
  lateStreamAt(t: number): void {
    this.lateUpTo = t;
  }

  get all(): readonly ObservedEvent[] {
    return this.events;
  }
}
