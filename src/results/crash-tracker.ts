// Follows crashes through a stream of console lines: starts one at a marker, collects its dump, ends it.
// Memory stays bounded whatever the guest prints: a dump keeps at most `maxLines` lines (the rest of it is
// read and dropped), and after `maxCrashes` crashes further ones are only counted.
import type { ConsoleMessage } from './console-prefix.js';
import { continuesDump, crashMarker, endsDump, type CrashFamily } from './crash-markers.js';
import { isFatal, type CrashKind, type GuestCrash } from './guest-crash.js';
import { NO_EVENTS, type ResultEvent } from './result-events.js';

export interface CrashTrackerLimits {
  maxLines: number;
  maxCrashes: number;
}

/** What one line meant for crash tracking. */
export interface CrashStep {
  /** crash-completed of the dump this line ended (or that a new crash interrupted), crash-detected of a new one. */
  events: readonly ResultEvent[];
  /** The line began a crash: set even for crashes past `maxCrashes`, which send no events. */
  started?: CrashKind;
  /** The line belongs to a crash (marker, dump or end line): it is no test output. */
  consumed: boolean;
}

interface OpenDump {
  family: CrashFamily;
  crash: GuestCrash;
  /** Events already sent for it: past maxCrashes, or completed at the line cap (its later lines are dropped). */
  reported: boolean;
}

/** A line that neither belongs to a crash nor starts one: most lines. */
const UNRELATED: CrashStep = Object.freeze({ events: NO_EVENTS, consumed: false });

export class CrashTracker {
  private open: OpenDump | undefined;
  private detected = 0;
  private fatal = 0;

  constructor(private readonly limits: CrashTrackerLimits) {}

  /** `runningCase` names the case a new crash interrupts, asked only when a crash starts. */
  feed(line: string, message: ConsoleMessage, runningCase: () => string | undefined): CrashStep {
    const marker = crashMarker(line, message);
    if (!this.open && !marker) return UNRELATED;
    const events: ResultEvent[] = [];
    if (this.open) {
      if (endsDump(this.open.family, line, message)) {
        this.append(line, events);
        this.close(events);
        return { events, consumed: true };
      }
      // Markers inside a dump are part of it (a BUG line is followed by its Oops line), except that the
      // guest dying after a survivable crash (an oops, then a panic) is a crash of its own.
      const dies = marker !== undefined && isFatal(marker.kind) && !isFatal(this.open.crash.kind);
      if (!dies && continuesDump(this.open.family, line, message)) {
        this.append(line, events);
        return { events, consumed: true };
      }
      this.close(events);
    }
    if (!marker) return events.length === 0 ? UNRELATED : { events, consumed: false };
    this.detected++;
    if (isFatal(marker.kind)) this.fatal++;
    const caseName = runningCase();
    const crash: GuestCrash = caseName === undefined ? { kind: marker.kind, lines: [] } : { kind: marker.kind, case: caseName, lines: [] };
    const kept = this.detected <= this.limits.maxCrashes;
    this.open = { family: marker.family, crash, reported: !kept };
    if (kept) events.push(caseName === undefined ? { type: 'crash-detected', kind: marker.kind, line } : { type: 'crash-detected', kind: marker.kind, case: caseName, line });
    this.append(line, events);
    return { events, started: marker.kind, consumed: true };
  }

  /** Ends the dump in progress, if any: the output is over. */
  finish(): ResultEvent[] {
    const events: ResultEvent[] = [];
    this.close(events);
    return events;
  }

  get crashes(): number {
    return this.detected;
  }

  get fatalCrashes(): number {
    return this.fatal;
  }

  get droppedCrashes(): number {
    return Math.max(0, this.detected - this.limits.maxCrashes);
  }

  private append(line: string, events: ResultEvent[]): void {
    const open = this.open!;
    if (open.reported) return;
    open.crash.lines.push(line);
    // A dump that does not stop (a crash handler faulting in a loop) is reported at the cap; the rest of
    // it still counts as dump, so it neither starts new crashes nor reaches the test parsers.
    if (open.crash.lines.length >= this.limits.maxLines) {
      events.push({ type: 'crash-completed', crash: open.crash });
      open.reported = true;
    }
  }

  private close(events: ResultEvent[]): void {
    if (this.open && !this.open.reported) events.push({ type: 'crash-completed', crash: this.open.crash });
    this.open = undefined;
  }
}
