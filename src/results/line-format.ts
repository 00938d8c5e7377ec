// A guest's own result lines, described by a regular expression with named groups, in the spirit of
// LAVA's monitors: `[..] CPU0 Thread#0x7FFBF78 TestFreeMem-0: PASSED` is a case and its result.
import { NO_EVENTS, type ResultEvent } from './result-events.js';
import type { CaseStatus, GuestCase } from './guest-case.js';
import { withoutPrintkPrefix } from './console-prefix.js';
import { userRegex } from '../regex/user-regex.js';

/** Plain data (scenarios travel as JSON to Vitest workers): the regex is compiled by the parser. */
export interface LineFormat {
  /** Reported as the format of its cases, and their suite when the line names none. */
  name: string;
  /** Named groups: `case` and `result` required; `suite`, `message`, `measurement` optional. */
  source: string;
  flags: string;
  /** Result word as printed -> status. A word not listed fails the case, saying so. */
  words: Record<string, CaseStatus>;
}

export const REQUIRED_GROUPS = ['case', 'result'] as const;
export const OPTIONAL_GROUPS = ['suite', 'message', 'measurement'] as const;

/** What most guests print; a format's own `passed`/`failed`/`skipped` lists replace these. */
export const DEFAULT_RESULT_WORDS: Record<CaseStatus, string[]> = {
  passed: ['PASSED', 'PASS', 'OK', 'ok'],
  failed: ['FAILED', 'FAIL', 'ERROR'],
  skipped: ['SKIPPED', 'SKIP'],
  crashed: [],
};

/** The named groups a regular expression source defines, e.g. ['case', 'result']. */
export function namedGroups(source: string): string[] {
  return [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]!);
}

export class LineFormatParser {
  private readonly regex: RegExp;

  constructor(private readonly format: LineFormat) {
    // Never g or y: test state must not carry from one line to the next.
    this.regex = userRegex(format.source, format.flags.replace(/[gy]/g, ''));
  }

  /**
   * One line, clean (no CR, no ANSI codes): a case-finished event if it is a result line. A line with a
   * printk timestamp is tried as printed, then without it, so `^` anchors hold with printk.time on or off.
   */
  feedLine(line: string): readonly ResultEvent[] {
    let match = this.regex.exec(line);
    if (!match) {
      const message = withoutPrintkPrefix(line);
      if (message !== undefined) match = this.regex.exec(message);
    }
    const groups = match?.groups;
    if (!groups || groups.case === undefined || groups.result === undefined) return NO_EVENTS;
    const word = groups.result;
    const known = this.format.words[word];
    const status = known ?? 'failed';
    const message = known ? groups.message : `result "${word}" is not one of the format's words (${Object.keys(this.format.words).join(', ')})`;
    const guestCase: GuestCase = {
      format: this.format.name,
      suite: groups.suite ?? this.format.name,
      case: groups.case,
      status,
      assertions: { passed: status === 'passed' ? 1 : 0, failed: status === 'failed' ? 1 : 0 },
      failures: status === 'failed' ? [{ message: message ?? word }] : [],
      ...(groups.measurement !== undefined ? { measurement: groups.measurement } : {}),
    };
    return [{ type: 'case-finished', case: guestCase }];
  }
}
