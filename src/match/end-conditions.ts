// `end:` conditions on what the guest shows (a line, a code, a screen row): each ends the run as the
// guest's own end. The others (quiet, QMP) are the runner's to watch.
import type { Channel, EndCondition } from '../scenario/model.js';
import { codeMatches, describeCode, formatCode, type CodeMatch } from '../scenario/stages.js';
import { compilePattern, describePattern, type LinePredicate } from './pattern.js';
import { ScreenEnds } from './screen-match.js';

export class EndConditions {
  private readonly lines: { channel: Channel; matches: LinePredicate; description: string }[];
  private readonly codes: CodeMatch[];
  private readonly screens: ScreenEnds;

  constructor(end: readonly EndCondition[]) {
    this.lines = end.flatMap((e) => (e.kind === 'line' ? [{ channel: e.channel, matches: compilePattern(e.pattern), description: describePattern(e.pattern) }] : []));
    this.codes = end.flatMap((e) => (e.kind === 'code' ? [e.code] : []));
    this.screens = new ScreenEnds(end);
  }

  /** What ended the run, in the words of the end's report; undefined when the line ends nothing. */
  line(channel: Channel, text: string): string | undefined {
    const end = this.lines.find((e) => e.channel === channel && e.matches(text));
    return end && `${channel} line ${JSON.stringify(text)} (end: ${end.description})`;
  }

  code(code: number): string | undefined {
    const end = this.codes.find((match) => codeMatches(match, code));
    return end === undefined ? undefined : `codes code ${formatCode(code)} (end: ${describeCode(end)})`;
  }

  screen(channel: Channel, rows: readonly string[]): string | undefined {
    return this.screens.met(channel, rows);
  }
}
