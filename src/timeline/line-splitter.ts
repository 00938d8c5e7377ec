// Bytes of a guest output channel -> lines, with bounded memory whatever the guest prints.
import { needsDrawing, renderRows } from './terminal-row.js';

export const MAX_LINE_CHARS = 4096;

export interface ChannelLine {
  /**
   * The line without its terminator, as a terminal shows it (see renderRows): text drawn over is gone,
   * escape sequences and control characters other than TAB are removed, a move to another row starts
   * another line.
   */
  text: string;
  /** Host time (ms since the guest was resumed) when the line was completed. */
  t: number;
}

/**
 * Splits a byte stream into lines. Accepts LF and CRLF endings; a line longer than MAX_LINE_CHARS is cut
 * into pieces so a guest printing without newlines cannot grow memory.
 */
export class LineSplitter {
  private readonly utf8 = new Utf8Chunks();
  private pending = '';
  /** The pending text came with a control code other than TAB, LF, CR and ESC. */
  private pendingRare = false;

  /** Feeds a chunk received at time `t`; returns the lines it completed. */
  push(chunk: Uint8Array, t: number): ChannelLine[] {
    return this.split(this.utf8.decode(chunk), t, hasRareControl(chunk));
  }

  /** Ends the stream: a last line without newline is returned too. */
  end(t: number): ChannelLine[] {
    const lines = this.split(this.utf8.end(), t, false);
    if (this.pending.length > 0) this.emit(lines, this.pending, t);
    this.pending = '';
    this.pendingRare = false;
    return lines;
  }

  /** The unterminated text seen so far (a prompt, a line in progress), as drawn on its last row. */
  partial(): string {
    return needsDrawing(this.pending) ? renderRows(this.pending).at(-1)! : this.pending;
  }

  /**
   * `rare`: the text holds a control code other than TAB, LF, CR and ESC. Without one, a line that holds
   * no ESC and no CR is clean as it is, and two native searches tell that much faster than a regex.
   */
  private split(text: string, t: number, rare: boolean): ChannelLine[] {
    const lines: ChannelLine[] = [];
    const rest = this.pending.length > 0 ? this.pending + text : text;
    const mayBeClean = !rare && !this.pendingRare;
    // Walk the text by index: slicing off each line would copy or re-slice the rest once per line.
    let start = 0;
    let newline = rest.indexOf('\n');
    while (newline !== -1) {
      // Strip the CR of CRLF before cutting, or a line of exactly MAX_LINE_CHARS would leave an empty piece.
      const end = newline > start && rest.charCodeAt(newline - 1) === 0x0d ? newline - 1 : newline;
      if (mayBeClean && end - start <= MAX_LINE_CHARS) {
        const raw = rest.slice(start, end);
        if (raw.includes('\u001b') || raw.includes('\r')) this.emit(lines, raw, t);
        else lines.push({ text: raw, t });
      } else {
        this.pieces(lines, rest, start, end, t);
      }
      start = newline + 1;
      newline = rest.indexOf('\n', start);
    }
    // A CR just past the limit may be the first half of CRLF: keep it pending with its line.
    while (rest.length - start > MAX_LINE_CHARS + (rest.endsWith('\r') ? 1 : 0)) {
      const end = pieceEnd(rest, start, rest.length);
      this.emit(lines, rest.slice(start, end), t);
      start = end;
    }
    this.pending = start === 0 ? rest : rest.slice(start);
    this.pendingRare = this.pending.length > 0 && !mayBeClean;
    return lines;
  }

  /** The line rest[start, end) in pieces of at most MAX_LINE_CHARS; an empty line is one empty piece. */
  private pieces(lines: ChannelLine[], rest: string, start: number, end: number, t: number): void {
    if (end - start <= MAX_LINE_CHARS) {
      this.emit(lines, rest.slice(start, end), t);
      return;
    }
    for (let i = start; i < end; ) {
      const cut = pieceEnd(rest, i, end);
      this.emit(lines, rest.slice(i, cut), t);
      i = cut;
    }
  }

  /** Adds the rows `raw` draws: one line, or several when it moves to other rows. */
  private emit(lines: ChannelLine[], raw: string, t: number): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!needsDrawing(line)) lines.push({ text: line, t });
    else for (const text of renderRows(line)) lines.push({ text, t });
  }
}

/**
 * Where a piece of a long line that starts at `from` ends: MAX_LINE_CHARS on, or `end`; one char
 * earlier when the cut would fall between the two halves of a surrogate pair (an emoji, say), which
 * would leave each piece with half a character.
 */
function pieceEnd(text: string, from: number, end: number): number {
  const cut = Math.min(from + MAX_LINE_CHARS, end);
  const unit = text.charCodeAt(cut - 1);
  return cut < end && unit >= 0xd800 && unit <= 0xdbff ? cut - 1 : cut;
}

// Control bytes other than TAB, LF, CR and ESC: rare in guest output, so a chunk without any can skip the
// control-code regex on every line. Bytes below 0x80 never occur inside a multi-byte UTF-8 sequence.
const RARE_CONTROL = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) RARE_CONTROL[byte] = 1;
RARE_CONTROL[0x09] = RARE_CONTROL[0x0a] = RARE_CONTROL[0x0d] = RARE_CONTROL[0x1b] = 0;
RARE_CONTROL[0x7f] = 1;

/** Whether `bytes` holds a rare control byte; four bytes at a time where they are aligned. */
function hasRareControl(bytes: Uint8Array): boolean {
  const head = (4 - (bytes.byteOffset & 3)) & 3;
  if (bytes.length < head + 4) return bytes.some((byte) => RARE_CONTROL[byte] === 1);
  for (let i = 0; i < head; i++) if (RARE_CONTROL[bytes[i]!]) return true;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + head, (bytes.length - head) >>> 2);
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    const xored = word ^ 0x7f7f7f7f;
    // Classic bit trick: the high bit of a byte is set in the result if that byte is below 0x20 (first
    // term) or is 0x7f (second term); false alarms only beside a true hit. Such words are checked by byte.
    if ((((word - 0x20202020) & ~word) | ((xored - 0x01010101) & ~xored)) & 0x80808080) {
      const at = head + w * 4;
      if (RARE_CONTROL[bytes[at]!]! | RARE_CONTROL[bytes[at + 1]!]! | RARE_CONTROL[bytes[at + 2]!]! | RARE_CONTROL[bytes[at + 3]!]!) return true;
    }
  }
  for (let i = head + words.length * 4; i < bytes.length; i++) if (RARE_CONTROL[bytes[i]!]) return true;
  return false;
}

/**
 * UTF-8 decoding of a byte stream cut anywhere. TextDecoder's own `stream` mode does the same but runs
 * several times slower than a plain decode, so a sequence cut at the end of a chunk is held back here and
 * decoded with the next one. Invalid bytes become U+FFFD either way; a BOM is dropped at the start only.
 */
class Utf8Chunks {
  private readonly first = new TextDecoder('utf-8', { fatal: false });
  private readonly rest = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private started = false;
  private held: Uint8Array | undefined;

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.held) {
      bytes = new Uint8Array(this.held.length + chunk.length);
      bytes.set(this.held);
      bytes.set(chunk, this.held.length);
      this.held = undefined;
    }
    const cut = bytes.length - incompleteTail(bytes);
    if (cut < bytes.length) this.held = bytes.slice(cut);
    return cut === 0 ? '' : this.text(bytes.subarray(0, cut));
  }

  /** Bytes still held decode alone: a cut sequence becomes U+FFFD. */
  end(): string {
    const held = this.held;
    this.held = undefined;
    return held ? this.text(held) : '';
  }

  private text(bytes: Uint8Array): string {
    const decoder = this.started ? this.rest : this.first;
    this.started = true;
    return decoder.decode(bytes);
  }
}

/** How many bytes at the end begin a UTF-8 sequence that the next chunk may complete (0 to 3). */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead
    if (byte < 0xc0) return 0; // ASCII
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return back < length ? back : 0;
  }
  return 0;
}
