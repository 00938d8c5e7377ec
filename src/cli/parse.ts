// `vitest-guest parse FILE`: test results and crashes from a saved guest console log.
import { createReadStream } from 'node:fs';
import { LineSplitter } from '../timeline/line-splitter.js';
import { createGuestResultParser, type GuestFormatOption } from '../results/guest-result-parser.js';
import type { LineFormat } from '../results/line-format.js';
import type { GuestCrash } from '../results/guest-crash.js';
import { ResultJsonBuilder } from '../results/result-json.js';
import type { ResultEvent, ResultSummary } from '../results/result-events.js';
import { guestCaseLines, summaryLine } from '../report/uktest-lines.js';

export interface ParseOptions {
  file: string;
  /** uktest, KTAP, both, or a scenario's own line format (`--formats FILE --format NAME`). */
  format: GuestFormatOption | LineFormat;
  /** Print the JSON of all cases and crashes instead of uktest-style lines. */
  json: boolean;
}

/**
 * Streams the file through LineSplitter and the result parser; returns the exit code: 0 when cases were
 * found and none failed or crashed and no fatal crash was seen, 1 otherwise, 2 when the file cannot be read.
 */
export async function parseCommand(options: ParseOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const splitter = new LineSplitter();
  const parser = createGuestResultParser({ format: options.format });
  const json = options.json ? new ResultJsonBuilder() : undefined;
  const handle = (events: readonly ResultEvent[]): void => {
    if (json) json.add(events);
    else events.forEach((event) => printEvent(event, out, err));
  };
  try {
    // Chunks as they are read: a log of any size is never held whole.
    for await (const chunk of createReadStream(options.file)) {
      for (const line of splitter.push(chunk as Buffer, 0)) handle(parser.feedLine(line.text));
    }
  } catch (error) {
    err(`vitest-guest: cannot read ${options.file}: ${(error as Error).message}`);
    return 2;
  }
  for (const line of splitter.end(0)) handle(parser.feedLine(line.text));
  handle(parser.finish());
  const summary = parser.summary();
  if (json) out(JSON.stringify(json.build(summary), null, 2));
  else printTotals(summary, out);
  const cases = summary.passed + summary.failed + summary.crashed + summary.skipped;
  if (cases === 0) {
    err(`vitest-guest: no test results in ${options.file} (format ${formatName(options.format)}): expected ${expectedOutput(options.format)}.`);
    return 1;
  }
  // A Linux oops or warning is listed but does not fail the run by itself: the test it hit reports a result
  // (KASAN's own tests expect their reports). A panic or a Unikraft crash does, even between cases.
  return summary.failed + summary.crashed + summary.fatalCrashes > 0 ? 1 : 0;
}

function formatName(format: GuestFormatOption | LineFormat): string {
  return typeof format === 'object' ? format.name : format;
}

/** What the asked-for format looks for, said when the log has none of it. */
export function expectedOutput(format: GuestFormatOption | LineFormat): string {
  const uktest = 'uktest `test: suite->case` lines';
  const ktap = 'KTAP output from a `KTAP version 1` line on';
  if (format === 'uktest') return uktest;
  if (format === 'ktap') return ktap;
  if (format === 'auto') return `${uktest} or ${ktap}`;
  return `lines matching format "${format.name}": /${format.source}/${format.flags}`;
}

function printEvent(event: ResultEvent, out: (line: string) => void, err: (line: string) => void): void {
  if (event.type === 'case-finished') {
    guestCaseLines(event.case).forEach((line) => out(line));
  } else if (event.type === 'crash-completed') {
    out(crashLine(event.crash));
  } else if (event.type === 'diagnostic') {
    err(`vitest-guest: note: ${event.message}`);
  }
}

/** One line per crash: kind, case, marker line and how long the dump was. */
function crashLine(crash: GuestCrash): string {
  const during = crash.case ? ` during ${crash.case}` : '';
  const more = crash.lines.length > 1 ? ` (+${crash.lines.length - 1} dump lines)` : '';
  return `crash: ${crash.kind}${during}: ${crash.lines[0]!.trim()}${more}`;
}

function printTotals(summary: ResultSummary, out: (line: string) => void): void {
  if (summary.droppedCrashes > 0) out(`crash: ${summary.droppedCrashes} more crashes, not listed`);
  out(summaryLine(summary));
}
