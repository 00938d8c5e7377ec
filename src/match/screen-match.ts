// Screen expectations: a pattern matched against each rendered row of a channel's screen, one row at a
// time, so that no match is pieced together from parts of different rows.
import type { Channel, EndCondition, Pattern } from '../scenario/model.js';
import { compilePattern, describePattern, type LinePredicate } from './pattern.js';

/** An event as the monitor sees it: a screen check carries the rows of its channel's screen. */
export interface ScreenEvent {
  source: string;
  rows?: readonly string[];
}

/** Met by a check of `channel`'s screen where some row matches. */
export function screenMatcher(channel: Channel, pattern: Pattern): (event: ScreenEvent) => boolean {
  const predicate = compilePattern(pattern);
  return (event) => event.source === channel && event.rows !== undefined && event.rows.some(predicate);
}

/** The first matching row, 1-based as on the screen, and its text; undefined when none matches. */
export function matchingRow(pattern: Pattern, rows: readonly string[]): { row: number; text: string } | undefined {
  const predicate = compilePattern(pattern);
  const index = rows.findIndex(predicate);
  return index === -1 ? undefined : { row: index + 1, text: rows[index]! };
}

/** `screen row 9: "Using: Core #0 ..."`: where a screen pattern was seen, for verdicts and failures. */
export function describeRowMatch(pattern: Pattern, rows: readonly string[]): string {
  const match = matchingRow(pattern, rows);
  return match ? `screen row ${match.row}: ${JSON.stringify(match.text)}` : 'screen';
}

/** `console screen row 9: "Using: Core #0 ..."`. */
export function describeScreenMatch(channel: string, pattern: Pattern, rows: readonly string[]): string {
  return `${channel} ${describeRowMatch(pattern, rows)}`;
}

/** `end` conditions on screens: the first one a check of a channel's screen meets. */
export class ScreenEnds {
  private readonly ends: { channel: Channel; matches: LinePredicate; pattern: Pattern }[];

  constructor(end: readonly EndCondition[]) {
    this.ends = end.flatMap((e) => (e.kind === 'screen' ? [{ channel: e.channel, matches: compilePattern(e.pattern), pattern: e.pattern }] : []));
  }

  /** What ended the run, in the words of the end's report, or undefined. */
  met(channel: Channel, rows: readonly string[]): string | undefined {
    const end = this.ends.find((e) => e.channel === channel && rows.some(e.matches));
    return end && `${describeScreenMatch(channel, end.pattern, rows)} (end: screen ${describePattern(end.pattern)})`;
  }
}
