// Guest console lines -> test cases and crashes, as they happen: the entry point of src/results.
//
//   const parser = createGuestResultParser({ format: 'auto' });
//   for (const line of splitter.push(chunk, t)) for (const event of parser.feedLine(line.text)) handle(event);
//   for (const event of parser.finish()) handle(event);
//
// Lines are expected clean (LineSplitter output: no line ending, no ANSI codes). Each line first goes to
// crash tracking: a crash marker sends `crash-detected` at once, and a fatal crash (see isFatal) ends the
// running case as `crashed`; dump lines go no further. Other lines go to the uktest parser, the KTAP parser
// or, with 'auto', both: each only reacts to its own line shapes, so a log may even hold both formats.
// A scenario's own line format (`formats:`) reads its lines instead of both.
// Memory stays bounded however long the output: cases are handed out as they end, not kept.
import { consoleMessage, type ConsoleMessage } from './console-prefix.js';
import { CrashTracker } from './crash-tracker.js';
import type { GuestFormat } from './guest-case.js';
import { isFatal } from './guest-crash.js';
import { KtapParser } from './ktap-parser.js';
import { NO_EVENTS, type ResultEvent, type ResultSummary } from './result-events.js';
import { UktestParser } from './uktest-parser.js';
import { LineFormatParser, type LineFormat } from './line-format.js';

export type GuestFormatOption = GuestFormat | 'auto';
export const GUEST_FORMAT_OPTIONS: readonly GuestFormatOption[] = ['uktest', 'ktap', 'auto'];

export interface GuestResultParserOptions {
  /** Which output to read; 'auto' (the default) reads both and tells them apart line by line. */
  format?: GuestFormatOption | LineFormat;
  /** Lines kept per crash, marker included (default 64); the rest of its dump is read and dropped. */
  maxCrashLines?: number;
  /** Crashes reported with events and lines (default 8); later ones are only counted. */
  maxCrashes?: number;
}

export interface GuestResultParser {
  /** Reads one console line; returns what it completed or revealed (usually nothing). */
  feedLine(line: string): readonly ResultEvent[];
  /** The output is over: ends the crash dump and the cases in progress. Later calls return nothing. */
  finish(): readonly ResultEvent[];
  /** Counts so far: cases by status, and crashes. */
  summary(): ResultSummary;
}

export function createGuestResultParser(options: GuestResultParserOptions = {}): GuestResultParser {
  const format = options.format ?? 'auto';
  const uktest = format === 'uktest' || format === 'auto' ? new UktestParser() : undefined;
  const ktap = format === 'ktap' || format === 'auto' ? new KtapParser() : undefined;
  const ownLines = typeof format === 'object' ? new LineFormatParser(format) : undefined;
  const crashes = new CrashTracker({ maxLines: options.maxCrashLines ?? 64, maxCrashes: options.maxCrashes ?? 8 });
  const counts = { passed: 0, failed: 0, crashed: 0, skipped: 0 };
  // Line numbers where each parser last started or finished a case: the later one names the running case.
  let lineNumber = 0;
  let uktestActive = -1;
  let ktapActive = -1;
  let finished = false;

  const runningCase = (): string | undefined => {
    const fromUktest = uktest?.runningCase();
    const fromKtap = ktap?.runningCase();
    return fromUktest && fromKtap ? (uktestActive >= ktapActive ? fromUktest : fromKtap) : fromUktest ?? fromKtap;
  };

  const tally = (events: readonly ResultEvent[]): readonly ResultEvent[] => {
    for (const event of events) if (event.type === 'case-finished') counts[event.case.status]++;
    return events;
  };

  /** Test output: each parser looks for its own line shapes. */
  const testLine = (line: string, message: ConsoleMessage): readonly ResultEvent[] => {
    if (ownLines) return ownLines.feedLine(line);
    let fromUktest = NO_EVENTS;
    if (uktest) {
      const started = uktest.startedCases;
      fromUktest = uktest.feedLine(line, message);
      if (uktest.startedCases !== started) uktestActive = lineNumber;
    }
    const fromKtap = ktap ? ktap.feedLine(line) : NO_EVENTS;
    if (fromKtap.length > 0) ktapActive = lineNumber;
    return fromKtap.length === 0 ? fromUktest : fromUktest.length === 0 ? fromKtap : [...fromUktest, ...fromKtap];
  };

  return {
    feedLine(line) {
      if (finished) throw new Error('GuestResultParser.feedLine() called after finish()');
      lineNumber++;
      const message = consoleMessage(line);
      const step = crashes.feed(line, message, runningCase);
      if (step.started) {
        const crashed = isFatal(step.started) ? [...(uktest?.crash() ?? []), ...(ktap?.interrupt() ?? [])] : [];
        return tally([...step.events, ...crashed]);
      }
      if (step.consumed) return step.events;
      const events = testLine(line, message);
      if (step.events.length === 0) return events.length === 0 ? events : tally(events);
      return tally([...step.events, ...events]);
    },

    finish() {
      if (finished) return NO_EVENTS;
      finished = true;
      return tally([...crashes.finish(), ...(uktest?.finish() ?? []), ...(ktap?.interrupt() ?? [])]);
    },

    summary() {
      return { ...counts, crashes: crashes.crashes, fatalCrashes: crashes.fatalCrashes, droppedCrashes: crashes.droppedCrashes };
    },
  };
}
