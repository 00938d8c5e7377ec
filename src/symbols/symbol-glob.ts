// Globs over symbol names. A linker takes nearly any character in a name (Free Pascal's
// `MEMORY_$$_TOROGETMEM$QWORD$$POINTER`, Rust's `$LT$`, GCC's `foo.cold`, `memcpy@GLIBC_2.2.5`), so only
// these are special, and every other character (`$ . @ + ( ) ! / -` included) is itself:
//   *  any run of characters        ?  one character        [abc] [a-z] [!a-z]  one of (none of) a set
//   {a,b}  either alternative, each a glob of its own       \c  c itself, for c among * ? [ ] { } , \
// A `[` or `{` without its close, a `{...}` without a comma, and a backslash before any other character
// are themselves too. Path globs (picomatch) are not fit: their `*` stops at `/`, `$$` is an anchor
// and `+(...)` an extglob.

import { userRegex } from '../regex/user-regex.js';
import { escapeRegex } from '../regex/escape-regex.js';

export interface SymbolGlob {
  /** Whether there is any wildcard, set or alternation; without one the spec names one symbol. */
  isGlob: boolean;
  /** The text with its escapes undone: the name a spec that is not a glob stands for. */
  name: string;
  /** What every match shares, for suggestions: the literal text before the first special part, else the longest literal run. */
  literal: string;
  regex: RegExp;
}

const SPECIAL = new Set(['*', '?', '[', ']', '{', '}', ',', '\\']);
const ANY = '[\\s\\S]';

export function parseSymbolGlob(text: string): SymbolGlob {
  const top = new Parser(text).sequence(false);
  const runs = top.runs;
  const literal = top.startsLiteral ? runs[0]! : runs.reduce((longest, run) => (run.length > longest.length ? run : longest), '');
  return { isGlob: top.special, name: runs.join(''), literal, regex: userRegex(`^(?:${top.source})$`, '') };
}

interface Sequence {
  source: string;
  special: boolean;
  /** The literal runs between special parts. */
  runs: string[];
  startsLiteral: boolean;
}

interface Part {
  source: string;
  /** Index just after the part's text. */
  end: number;
}

class Parser {
  pos = 0;
  constructor(private readonly text: string) {}

  /** Up to the end, or inside braces up to a top-level `,` or `}`. */
  sequence(inBraces: boolean): Sequence {
    const seq: Sequence = { source: '', special: false, runs: [], startsLiteral: true };
    let run = '';
    const literal = (ch: string) => {
      run += ch;
      seq.source += escapeRegex(ch);
    };
    const special = (source: string) => {
      if (seq.source === '') seq.startsLiteral = false;
      if (run) seq.runs.push(run);
      run = '';
      seq.source += source;
      seq.special = true;
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (inBraces && (ch === ',' || ch === '}')) break;
      const next = this.text[this.pos + 1];
      const part = ch === '[' ? readSet(this.text, this.pos) : ch === '{' ? readAlternatives(this.text, this.pos) : undefined;
      if (part) {
        special(part.source);
        this.pos = part.end;
      } else if (ch === '\\' && next !== undefined && SPECIAL.has(next)) {
        literal(next);
        this.pos += 2;
      } else if (ch === '*' || ch === '?') {
        special(ch === '*' ? `${ANY}*` : ANY);
        this.pos++;
      } else {
        literal(ch);
        this.pos++;
      }
    }
    if (run || seq.runs.length === 0) seq.runs.push(run);
    return seq;
  }
}

/** `{a,b}` at start: a regex alternation, or undefined when it does not close or has no comma. */
function readAlternatives(text: string, start: number): Part | undefined {
  const inner = new Parser(text);
  inner.pos = start + 1;
  const alternatives: string[] = [];
  for (;;) {
    alternatives.push(inner.sequence(true).source);
    const ch = text[inner.pos];
    if (ch === ',') {
      inner.pos++;
    } else {
      return ch === '}' && alternatives.length > 1 ? { source: `(?:${alternatives.join('|')})`, end: inner.pos + 1 } : undefined;
    }
  }
}

/** `[` at start: `[!...]`/`[^...]` negate; `]` first in the set is a member; `a-z` is a range, `\-` a dash. */
function readSet(text: string, start: number): Part | undefined {
  let i = start + 1;
  const negated = text[i] === '!' || text[i] === '^';
  if (negated) i++;
  const members: { ch: string; escaped: boolean }[] = [];
  const first = i;
  while (i < text.length && (text[i] !== ']' || i === first)) {
    const escaped = text[i] === '\\' && i + 1 < text.length;
    if (escaped) i++;
    members.push({ ch: text[i]!, escaped });
    i++;
  }
  if (i >= text.length) return undefined;
  let body = '';
  for (let m = 0; m < members.length; m++) {
    const dash = members[m + 1];
    const isRange = dash !== undefined && dash.ch === '-' && !dash.escaped && m + 2 < members.length;
    // A range out of order (`[z-a]`) is no set: the `[` is itself, as for one that does not close.
    if (isRange && members[m]!.ch > members[m + 2]!.ch) return undefined;
    body += isRange ? `${escapeInSet(members[m]!.ch)}-${escapeInSet(members[m + 2]!.ch)}` : escapeInSet(members[m]!.ch);
    if (isRange) m += 2;
  }
  return { source: `[${negated ? '^' : ''}${body}]`, end: i + 1 };
}

function escapeInSet(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? `\\${ch}` : ch;
}
