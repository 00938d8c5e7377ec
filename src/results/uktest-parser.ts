// Streaming parser for Unikraft uktest console output, both forms upstream has printed.
//
// Current form (lib/uktest, 0.11 and later); `<TAB>` is a tab, ANSI codes are already stripped:
//   test: ref_io_testsuite->test_read: optional description
//   <TAB>expected `fd` to be 3 and was 3 ............................................ [ PASSED ]
//   <TAB>expected `ret` to be 0 but was -1 .......................................... [ FAILED ]
//   <TAB>  in test_io.c]:42]                (colour off; with colour it reads `  in test_io.c:42`)
//   <TAB>expected `ok` to be true ...................................................  PASSED   (colour on)
//   [    0.104210] Info: [libuktest] <test.c @   92> uktest:cases:      1 failed, 5 total
// Older form (0.10 and before):
//   test: vfscore_stat_testsuite->vfscore_test_newfile
//   : expected 'ret' to be 0 but was -1 ..... FAILED
//   : in test_stat.c:58
// Any line may carry a ukdebug prefix (`[    0.104210] Info: `); a `test:` line is also found after firmware
// text on the same line (`Booting from ROM..test: ...`). Other lines are ignored.
//
// uktest prints no verdict per case and no end marker: a case ends at the next `test:` line, at a summary
// line, at a crash (then it is `crashed`) or at the end of output, and it failed if any assertion failed.
// The printed `uktest:cases:` / `uktest:assertions:` summary is compared with what was parsed, never trusted.
import type { ConsoleMessage } from './console-prefix.js';
import { caseId, MAX_FAILURES_PER_CASE, type CaseFailure, type GuestCase } from './guest-case.js';
import { NO_EVENTS, type ResultEvent } from './result-events.js';

const CASE = /(?:^|[^\w-])test: ?(\w+)->(\w+)(?:: .*)?$/;
const LOCATION = /^[\t ]+in ([^\s:\]]+)\]?:(\d+)\]?$/;
const OLD_ASSERTION = /^: (.*?) \.{2,} (PASSED|FAILED)$/;
const OLD_LOCATION = /^: in (\S+?):(\d+)$/;
const SUMMARY = /\buktest:(suites|cases|assertions): +(?:(\d+) failed, )?(\d+) total/;

interface OpenCase {
  suite: string;
  name: string;
  passed: number;
  failed: number;
  failures: CaseFailure[];
  /** The failure a following `in file:line` line belongs to. */
  awaitingLocation?: CaseFailure;
}

/** Counts since the last printed summary, to check it against. */
interface Tally {
  cases: number;
  failedCases: number;
  assertions: number;
  failedAssertions: number;
}

const emptyTally = (): Tally => ({ cases: 0, failedCases: 0, assertions: 0, failedAssertions: 0 });

export class UktestParser {
  private current: OpenCase | undefined;
  private tally = emptyTally();
  private started = 0;

  feedLine(line: string, message: ConsoleMessage): readonly ResultEvent[] {
    const text = message.text;
    // Assertion and location lines begin with a TAB (or spaces) or, in the older form, `: `.
    const first = text.charCodeAt(0);
    if (this.current && (first === 0x09 || first === 0x20 || first === 0x3a) && this.detail(text, first)) return NO_EVENTS;
    // `uktest:` summaries contain `test:` too: one search serves both.
    if (!line.includes('test:')) return NO_EVENTS;
    const header = CASE.exec(line);
    if (header) {
      const events = this.closeCase();
      this.started++;
      this.current = { suite: header[1]!, name: header[2]!, passed: 0, failed: 0, failures: [] };
      return events;
    }
    const summary = SUMMARY.exec(text);
    return summary ? [...this.closeCase(), ...this.checkSummary(summary[1]!, Number(summary[2] ?? 0), Number(summary[3]))] : NO_EVENTS;
  }

  /** A crash interrupted the guest: the running case, if any, is `crashed`. */
  crash(): ResultEvent[] {
    return this.closeCase('crashed');
  }

  /** The output is over: the running case ends with what its assertions say. */
  finish(): ResultEvent[] {
    return this.closeCase();
  }

  /** `test:` lines seen so far. */
  get startedCases(): number {
    return this.started;
  }

  /** `suite->case` of the case in progress. */
  runningCase(): string | undefined {
    return this.current && caseId(this.current.suite, this.current.name);
  }

  /** An assertion or failure location line of the running case; false if the line is neither. */
  private detail(text: string, first: number): boolean {
    if (first === 0x3a) {
      const old = OLD_ASSERTION.exec(text);
      if (old) return old[2] === 'PASSED' ? this.passed() : this.failed(old[1]!);
    } else {
      const verdict = assertionVerdict(text);
      // Most assertions pass: their message is never sliced out.
      if (verdict) return verdict.passed ? this.passed() : this.failed(text.slice(0, verdict.messageEnd).trimStart());
    }
    const location = LOCATION.exec(text) ?? OLD_LOCATION.exec(text);
    if (!location) return false;
    const failure = this.current!.awaitingLocation;
    if (failure) {
      failure.file = location[1]!;
      failure.line = Number(location[2]);
      this.current!.awaitingLocation = undefined;
    }
    return true;
  }

  private passed(): true {
    this.current!.passed++;
    this.current!.awaitingLocation = undefined;
    return true;
  }

  private failed(message: string): true {
    const current = this.current!;
    current.awaitingLocation = undefined;
    current.failed++;
    if (current.failures.length < MAX_FAILURES_PER_CASE) {
      const failure: CaseFailure = { message };
      current.failures.push(failure);
      current.awaitingLocation = failure;
    }
    return true;
  }

  private closeCase(crashed?: 'crashed'): ResultEvent[] {
    const open = this.current;
    if (!open) return [];
    this.current = undefined;
    const status = crashed ?? (open.failed > 0 ? 'failed' : 'passed');
    if (!crashed) {
      this.tally.cases++;
      this.tally.failedCases += open.failed > 0 ? 1 : 0;
      this.tally.assertions += open.passed + open.failed;
      this.tally.failedAssertions += open.failed;
    }
    const result: GuestCase = {
      format: 'uktest',
      suite: open.suite,
      case: open.name,
      status,
      assertions: { passed: open.passed, failed: open.failed },
      failures: open.failures,
    };
    return [{ type: 'case-finished', case: result }];
  }

  private checkSummary(what: string, failed: number, total: number): ResultEvent[] {
    const tally = this.tally;
    const parsed = what === 'cases' ? [tally.failedCases, tally.cases] : what === 'assertions' ? [tally.failedAssertions, tally.assertions] : undefined;
    // The assertions line is the last of the three: the next summary covers a new run.
    if (what === 'assertions') this.tally = emptyTally();
    if (!parsed || (parsed[0] === failed && parsed[1] === total)) return [];
    return [{
      type: 'diagnostic',
      message: `uktest summary says ${what}: ${failed} failed, ${total} total; the output shows ${parsed[0]} failed, ${parsed[1]} total`,
    }];
  }
}

/**
 * `<TAB>message ..... [ PASSED ]`, or ` PASSED ` once colour codes are gone: read from the end, where the
 * verdict is, since the message itself may hold anything (a regex scanning from the start was the hot spot).
 */
function assertionVerdict(text: string): { messageEnd: number; passed: boolean } | undefined {
  let end = text.length;
  while (text.charCodeAt(end - 1) === 0x20) end--;
  const bracketed = text.charCodeAt(end - 1) === 0x5d; /* ] */
  const wordAt = bracketed ? end - 8 : end - 6;
  if (bracketed && !text.startsWith('[ ', end - 10)) return undefined;
  const passed = text.startsWith(bracketed ? 'PASSED ]' : 'PASSED', wordAt);
  if (!passed && !text.startsWith(bracketed ? 'FAILED ]' : 'FAILED', wordAt)) return undefined;
  end = bracketed ? end - 10 : wordAt;
  const dotsEnd = end;
  while (text.charCodeAt(end - 1) === 0x20) end--;
  if (end === dotsEnd) return undefined;
  // The dots run from the last space before them: the message ends there (native search, no char loop).
  const space = text.lastIndexOf(' ', end - 1);
  if (space < 0 || text.charCodeAt(space + 1) !== 0x2e || text.charCodeAt(end - 1) !== 0x2e /* . */) return undefined;
  return { messageEnd: space, passed };
}
