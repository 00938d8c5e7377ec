// Streaming KTAP / KUnit parser after tools/testing/kunit/kunit_parser.py, fed one console line at a time.
//
// Output starts at the first line containing `KTAP version N` or `TAP version N`; what stands before it on
// that line is the prefix, e.g. a printk timestamp:
//   [    0.060000] KTAP version 1
//   [    0.060000] 1..1
//   [    0.060000]     KTAP version 1
//   [    0.060000]     # Subtest: example
//   [    0.060000]     1..2
//   [    0.060000]     # example_simple_test: EXPECTATION FAILED at lib/kunit/kunit-example-test.c:29
//   [    0.060000]     Expected 1 + 1 == 3, but
//   [    0.060000]         1 + 1 == 2 (0x2)
//   [    0.060000]     not ok 1 example_simple_test
//   [    0.060000]     ok 2 example_skip_test # SKIP this test should be skipped
//   [    0.060000] not ok 1 example
// kunit_parser cuts as many characters from every later line; here the prefix is matched by its shape
// (digits and blanks may vary), and a line without it is kept whole: firmware text glued before the
// version line (`Booting from ROM..KTAP version 1`) must not eat the start of the lines after it.
//
// Nesting: a version or `# Subtest:` line opens a test with subtests; its result line closes it. Where
// subtests are indented deeper than their parent (KTAP v1, KUnit's tabs), indentation decides which test
// a result line closes; otherwise the name and the plan do, as in kunit_parser. Results of tests without
// subtests become cases, suite = the enclosing test's name ('main' at the top level). KUnit failure lines
// and the indented lines after them become the next case's failures.
//
// A missing result means crashed: results a plan announced but never printed, when a closing line,
// a panic (`Kernel panic - not syncing`, reported by the crash tracker), `List of all partitions:`,
// `reboot: ...` or the end of output cuts a test short. Malformed lines become diagnostics or are ignored.
import { caseId, type CaseFailure } from './guest-case.js';
import { addFailure, addNote, adoptPending, leafCase, missingCases, newFrame, nextCaseName, type KtapFrame } from './ktap-frame.js';
import { classifyKtapLine, prefixStripper, type KtapLine } from './ktap-lines.js';
import { NO_EVENTS, type ResultEvent } from './result-events.js';

const START = /(K?TAP) version \d+\s*$/;
const END = /List of all partitions:|reboot: (?:System halted|Power down|Restarting system)/;
const MAX_DEPTH = 16;
const MAX_DETAIL_LINES = 16;

export class KtapParser {
  /** Tests being read, outermost first; empty outside KTAP output. */
  private stack: KtapFrame[] = [];
  private stripPrefix: (line: string) => string = (line) => line;
  /** A KUnit failure whose indented detail lines are being read. */
  private detail: { failure: CaseFailure; indent: number; lines: number } | undefined;

  feedLine(line: string): readonly ResultEvent[] {
    if (this.stack.length === 0) {
      if (line.includes('TAP version')) this.start(line);
      return NO_EVENTS;
    }
    if (END.test(line)) return this.interrupt();
    const ktap = classifyKtapLine(this.stripPrefix(line));
    if (this.continuesDetail(ktap)) return NO_EVENTS;
    this.detail = undefined;
    switch (ktap.kind) {
      case 'version':
      case 'subtest':
        return this.open(ktap);
      case 'plan': {
        const top = this.top();
        if (top.expected === undefined && top.results === 0) top.expected = ktap.count;
        top.awaitingName = top.awaitingVersion = false;
        return NO_EVENTS;
      }
      case 'result':
        return this.result(ktap);
      case 'failure': {
        // The detail lines that follow replace this message.
        const failure: CaseFailure = { message: `${ktap.what} FAILED`, file: ktap.file, line: ktap.line };
        if (addFailure(this.top(), ktap.name, failure)) this.detail = { failure, indent: ktap.indent, lines: 0 };
        return NO_EVENTS;
      }
      case 'diagnostic':
        if (ktap.name) addNote(this.top(), ktap.name, ktap.text);
        return NO_EVENTS;
      case 'unknown':
        return NO_EVENTS;
    }
  }

  /** The guest stopped (panic, end of output): every result still missing is a crashed case. */
  interrupt(): ResultEvent[] {
    const events: ResultEvent[] = [];
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth]!;
      const innermost = depth === this.stack.length - 1;
      // An open nested test is one of its parent's results, reported through its own missing results.
      // Without a plan only a nested test can tell a case was running; the top level may just be done.
      const openChild = innermost ? 0 : 1;
      const missing = frame.expected !== undefined ? frame.expected - frame.results - openChild : innermost && depth > 0 ? 1 : 0;
      events.push(...missingCases(frame, missing, openChild).map((c) => ({ type: 'case-finished' as const, case: c })));
    }
    this.stack = [];
    this.detail = undefined;
    this.stripPrefix = (line) => line;
    return events;
  }

  /** `suite->case` a crash now would interrupt. */
  runningCase(): string | undefined {
    const top = this.stack.at(-1);
    return top && nextCaseName(top, this.stack.length === 1);
  }

  private start(line: string): void {
    const match = START.exec(line);
    if (!match) return;
    this.stripPrefix = prefixStripper(line.slice(0, match.index));
    this.stack = [newFrame('main', 0, 'main')];
  }

  private top(): KtapFrame {
    return this.stack.at(-1)!;
  }

  private continuesDetail(ktap: KtapLine): boolean {
    const detail = this.detail;
    if (!detail || ktap.indent < detail.indent) return false;
    const text = ktap.kind === 'unknown' ? ktap.text : ktap.kind === 'diagnostic' && !ktap.name ? ktap.text : undefined;
    if (text === undefined) return false;
    if (text.trim() !== '' && detail.lines < MAX_DETAIL_LINES) {
      const line = ' '.repeat(Math.max(0, ktap.indent - detail.indent)) + text;
      detail.failure.message = detail.lines === 0 ? line : `${detail.failure.message}\n${line}`;
      detail.lines++;
    }
    return true;
  }

  private open(ktap: Extract<KtapLine, { kind: 'version' | 'subtest' }>): ResultEvent[] {
    const events = this.closeSiblings(ktap);
    const top = this.top();
    if (ktap.kind === 'version' && top.awaitingVersion && ktap.indent === top.indent) {
      top.awaitingVersion = false;
    } else if (ktap.kind === 'subtest' && top.awaitingName && ktap.indent === top.indent) {
      top.name = ktap.name;
      top.awaitingName = false;
    } else if (this.stack.length < MAX_DEPTH) {
      this.stack.push(ktap.kind === 'version' ? newFrame('', ktap.indent, 'version') : newFrame(ktap.name, ktap.indent, 'subtest'));
    }
    return events;
  }

  /** A header at or left of an indented test's own indentation starts a sibling: that test had no result line. */
  private closeSiblings(ktap: Extract<KtapLine, { kind: 'version' | 'subtest' }>): ResultEvent[] {
    const events: ResultEvent[] = [];
    while (this.stack.length > 1) {
      const top = this.top();
      const awaited = ktap.indent === top.indent && (ktap.kind === 'version' ? top.awaitingVersion : top.awaitingName);
      if (!this.indented() || ktap.indent > top.indent || awaited) break;
      events.push(...this.close(undefined));
    }
    return events;
  }

  private indented(): boolean {
    return this.top().indent > this.stack[this.stack.length - 2]!.indent;
  }

  private result(ktap: Extract<KtapLine, { kind: 'result' }>): ResultEvent[] {
    const events: ResultEvent[] = [];
    for (;;) {
      const top = this.top();
      if (this.stack.length === 1) break;
      const closes = this.indented()
        ? ktap.indent < top.indent
        : ktap.name === top.name || (top.expected !== undefined && top.results >= top.expected);
      if (!closes) break;
      // kunit_parser: a named test whose result line names another test never printed its own.
      const own = ktap.name === top.name || top.name === '';
      events.push(...this.close(own ? ktap : undefined));
      if (own) return events;
    }
    events.push({ type: 'case-finished', case: leafCase(this.top(), ktap) });
    return events;
  }

  /** Pops the innermost test, closed by its result line or, when `result` is undefined, by what follows. */
  private close(result: Extract<KtapLine, { kind: 'result' }> | undefined): ResultEvent[] {
    const frame = this.stack.pop()!;
    const parent = this.top();
    if (result && frame.results === 0 && !frame.expected) {
      // No subtests after all: the test itself is a case.
      adoptPending(parent, frame);
      return [{ type: 'case-finished', case: leafCase(parent, { ...result, name: result.name || frame.name }) }];
    }
    const events: ResultEvent[] = frame.expected === undefined ? [] : missingCases(frame, frame.expected - frame.results).map((c) => ({ type: 'case-finished', case: c }));
    if (!result) events.push({ type: 'diagnostic', message: `KTAP: no result line for ${caseId(parent.name, frame.name || '?')}` });
    parent.results++;
    return events;
  }
}
