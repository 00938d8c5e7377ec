// The `i` flag spelled out: each letter becomes the set of characters `i` lets it match (`a` -> [aA]), so
// that V8's linear-time engine, which does not take the flag, can run the pattern. Without the `u` flag
// (refused anyway, see user-regex.ts) JavaScript compares characters by their upper case, one UTF-16 unit
// at a time, and never folds a non-ASCII character to an ASCII one (ECMA-262 Canonicalize).

let classes: Map<number, number[]> | undefined;

function canonical(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const folded = upper.charCodeAt(0);
  return code >= 128 && folded < 128 ? code : folded;
}

/** Every UTF-16 unit `i` treats as the same character as `code`, itself included, ascending. */
function caseClass(code: number): readonly number[] {
  if (!classes) {
    classes = new Map();
    for (let c = 0; c <= 0xffff; c++) {
      const key = canonical(c);
      if (key === c && classes.get(key) === undefined) continue;
      const list = classes.get(key) ?? [key];
      if (c !== key) list.push(c);
      classes.set(key, list);
    }
    for (const list of classes.values()) list.sort((a, b) => a - b);
  }
  return classes.get(canonical(code)) ?? [code];
}

const unit = (code: number): string => `\\u${code.toString(16).padStart(4, '0')}`;

/** `source` (a pattern without the `u` flag) rewritten to match without `i` what it matches with it. */
export function spellOutIgnoreCase(source: string): string {
  let out = '';
  let i = 0;
  const literal = (code: number, text: string) => {
    const same = caseClass(code);
    out += same.length > 1 ? `[${same.map(unit).join('')}]` : text;
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      const escape = readEscape(source, i, false);
      if (escape.code === undefined) out += source.slice(i, escape.end);
      else literal(escape.code, escapeText(source, i, escape.end));
      i = escape.end;
    } else if (ch === '[') {
      const set = readSet(source, i);
      out += set.text;
      i = set.end;
    } else if (source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!') {
      // A group's name is not text to match.
      const end = source.indexOf('>', i);
      const stop = end < 0 ? source.length : end + 1;
      out += source.slice(i, stop);
      i = stop;
    } else {
      literal(ch.charCodeAt(0), ch);
      i++;
    }
  }
  return out;
}

interface Escape {
  /** The one character the escape stands for; undefined for a set (\d), an assertion (\b) or a backreference. */
  code: number | undefined;
  end: number;
}

/** An escape's text; a backslash that stands alone (`\c` before no letter is a backslash, then `c`) is written escaped. */
function escapeText(source: string, start: number, end: number): string {
  return end === start + 1 ? '\\\\' : source.slice(start, end);
}

const CONTROL: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };

/** The escape at `start` (a backslash), as Annex B reads it without `u`. */
function readEscape(source: string, start: number, inSet: boolean): Escape {
  const ch = source[start + 1];
  if (ch === undefined) return { code: undefined, end: start + 1 };
  const hex = (length: number) => {
    const digits = source.slice(start + 2, start + 2 + length);
    return digits.length === length && /^[0-9a-fA-F]+$/.test(digits) ? { code: parseInt(digits, 16), end: start + 2 + length } : { code: ch.charCodeAt(0), end: start + 2 };
  };
  if ('dDwWsS'.includes(ch)) return { code: undefined, end: start + 2 };
  if (ch === 'b') return inSet ? { code: 0x08, end: start + 2 } : { code: undefined, end: start + 2 };
  if (ch === 'B') return { code: inSet ? 0x42 : undefined, end: start + 2 };
  if (ch in CONTROL) return { code: CONTROL[ch], end: start + 2 };
  if (ch === 'x') return hex(2);
  if (ch === 'u') return hex(4);
  if (ch === 'c') {
    const letter = source[start + 2];
    return letter !== undefined && /[A-Za-z]/.test(letter) ? { code: letter.charCodeAt(0) % 32, end: start + 3 } : { code: 0x5c, end: start + 1 };
  }
  if (ch === 'k' && !inSet && source[start + 2] === '<') {
    const end = source.indexOf('>', start);
    return { code: undefined, end: end < 0 ? source.length : end + 1 };
  }
  if (/[0-9]/.test(ch)) {
    if (!inSet && ch !== '0') return { code: undefined, end: start + 2 + (/^[0-9]*/.exec(source.slice(start + 2))![0].length) };
    const octal = /^[0-7]{1,3}/.exec(source.slice(start + 1))?.[0];
    if (octal === undefined) return { code: ch.charCodeAt(0), end: start + 2 };
    const digits = parseInt(octal, 8) > 0o377 ? octal.slice(0, 2) : octal;
    return { code: parseInt(digits, 8), end: start + 1 + digits.length };
  }
  return { code: ch.charCodeAt(0), end: start + 2 };
}

/** The set at `start` (a `[`) with the other cases of its letters added; a negated set leaves them out likewise. */
function readSet(source: string, start: number): { text: string; end: number } {
  let i = start + 1;
  let head = '[';
  if (source[i] === '^') {
    head += '^';
    i++;
  }
  const kept: string[] = [];
  const ranges: [number, number][] = [];
  const atom = (): { code: number | undefined; text: string } => {
    if (source[i] === '\\') {
      const escape = readEscape(source, i, true);
      const text = escapeText(source, i, escape.end);
      i = escape.end;
      return { code: escape.code, text };
    }
    const text = source[i]!;
    i++;
    return { code: text.charCodeAt(0), text };
  };
  while (i < source.length && source[i] !== ']') {
    const from = atom();
    if (source[i] === '-' && i + 1 < source.length && source[i + 1] !== ']') {
      i++;
      const to = atom();
      if (from.code !== undefined && to.code !== undefined) {
        kept.push(`${from.text}-${to.text}`);
        ranges.push([from.code, to.code]);
      } else {
        // A set escape at either end (`[\d-z]`): the dash is itself (Annex B).
        kept.push(from.text, '\\-', to.text);
        if (from.code !== undefined) ranges.push([from.code, from.code]);
        if (to.code !== undefined) ranges.push([to.code, to.code]);
      }
    } else {
      kept.push(from.text);
      if (from.code !== undefined) ranges.push([from.code, from.code]);
    }
  }
  const extra = new Set<number>();
  for (const [low, high] of ranges) {
    for (let c = low; c <= high; c++) for (const same of caseClass(c)) if (same < low || same > high) extra.add(same);
  }
  const added = [...extra].sort((a, b) => a - b).map(unit).join('');
  return { text: `${head}${kept.join('')}${added}]`, end: Math.min(i + 1, source.length) };
}
