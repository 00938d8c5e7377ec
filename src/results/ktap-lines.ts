// The kinds of KTAP line, as tools/testing/kunit/kunit_parser.py tells them apart (indentation aside).
//
//   KTAP version 1          TAP version 14               version: a test with subtests begins
//   # Subtest: ref_io                                    names the test that begins
//   1..2                                                 plan: number of subtests
//   ok 1 io_read_test       not ok 2 - io_write_test     result, `- ` optional, description optional
//   ok 3 t # SKIP no dev    not ok 4 t # TIMEOUT 30 s    directive: SKIP, TODO, XFAIL, TIMEOUT, ERROR
//   # io_write_test: EXPECTATION FAILED at lib/foo.c:42  KUnit failure (also ASSERTION FAILED)
//   # io_write_test: try faulted                         diagnostic, named when it starts `<word>: `
// Anything else is an unknown line (kernel messages, KUnit's `Expected ret == 0, but` detail lines).

import { escapeRegex } from '../regex/escape-regex.js';

export type KtapDirective = 'SKIP' | 'TODO' | 'XFAIL' | 'TIMEOUT' | 'ERROR';

export type KtapLine =
  | { kind: 'version'; indent: number }
  | { kind: 'subtest'; indent: number; name: string }
  | { kind: 'plan'; indent: number; count: number }
  | { kind: 'result'; indent: number; ok: boolean; number: number; name: string; directive?: KtapDirective; detail: string }
  | { kind: 'failure'; indent: number; name: string; what: 'EXPECTATION' | 'ASSERTION'; file: string; line: number }
  | { kind: 'diagnostic'; indent: number; name?: string; text: string }
  | { kind: 'unknown'; indent: number; text: string };

const VERSION = /^K?TAP version \d+\s*$/;
const SUBTEST = /^# Subtest: (.*)$/;
const PLAN = /^1\.\.(\d+)/;
const RESULT = /^(ok|not ok) (\d+)(?: (?:- )?([^#]*?))?\s*(?:#\s*(.*))?$/;
const DIRECTIVE = /^(SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*)$/i;
const FAILURE = /^# (\S+?): (EXPECTATION|ASSERTION) FAILED at (.+):(\d+)\s*$/;
const DIAGNOSTIC = /^#(?: (?:([^\s:]+): )?(.*))?$/;

export function classifyKtapLine(line: string): KtapLine {
  let indent = 0;
  while (line.charCodeAt(indent) === 0x20 || line.charCodeAt(indent) === 0x09) indent++;
  const text = indent === 0 ? line : line.slice(indent);
  const first = text.charCodeAt(0);
  if (first === 0x23 /* # */) {
    const subtest = SUBTEST.exec(text);
    if (subtest) return { kind: 'subtest', indent, name: subtest[1]!.trim() };
    const failure = FAILURE.exec(text);
    if (failure) return { kind: 'failure', indent, name: failure[1]!, what: failure[2] as 'EXPECTATION' | 'ASSERTION', file: failure[3]!, line: Number(failure[4]) };
    const diagnostic = DIAGNOSTIC.exec(text);
    if (diagnostic) return diagnostic[1] ? { kind: 'diagnostic', indent, name: diagnostic[1], text: diagnostic[2] ?? '' } : { kind: 'diagnostic', indent, text: diagnostic[2] ?? '' };
  } else if (first === 0x6f /* o */ || first === 0x6e /* n */) {
    const result = RESULT.exec(text);
    if (result) return resultLine(indent, result);
  } else if (first === 0x31 /* 1 */) {
    const plan = PLAN.exec(text);
    if (plan) return { kind: 'plan', indent, count: Number(plan[1]) };
  } else if (VERSION.test(text)) {
    return { kind: 'version', indent };
  }
  return { kind: 'unknown', indent, text };
}

function resultLine(indent: number, match: RegExpExecArray): KtapLine {
  const comment = match[4] ?? '';
  const directive = DIRECTIVE.exec(comment);
  const base = { kind: 'result' as const, indent, ok: match[1] === 'ok', number: Number(match[2]), name: (match[3] ?? '').trim() };
  // Diagnostic data without a directive (`ok 5 check # rcode=0`) changes nothing.
  return directive ? { ...base, directive: directive[1]!.toUpperCase() as KtapDirective, detail: directive[2]!.trim() } : { ...base, detail: comment.trim() };
}

/**
 * Strips what stood before the first version line (a printk timestamp, say) from a later line. Matched by
 * shape: runs of digits and of blanks may differ from line to line. A line without it is kept whole.
 */
export function prefixStripper(prefix: string): (line: string) => string {
  if (prefix === '') return (line) => line;
  const shape = new RegExp(`^${escapeRegex(prefix).replace(/\d+/g, '\\d+').replace(/ +/g, ' *')}`);
  return (line) => {
    const match = shape.exec(line);
    return match ? line.slice(match[0].length) : line;
  };
}
