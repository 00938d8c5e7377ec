// Bytes of a guest output channel -> lines, with bounded memory whatever the guest prints.

export const MAX_LINE_CHARS = 4096;

export interface ChannelLine {
  /** The line without its terminator, ANSI escape sequences and other control characters (TAB kept). */
  text: string;
  /** Host time (ms since the guest was resumed) when the line was completed. */
  t: number;
}

// CSI sequences (ESC [ ... final), OSC strings (ESC ] ... BEL or ESC \\), other two-byte ESC sequences
// (ESC 7, ESC c, ...), then stray C0 controls and DEL.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function cleanLine(raw: string): string {
  return raw.replace(ANSI, '');
}

/**
 * Splits a byte stream into lines. Accepts LF and CRLF endings; a line longer than MAX_LINE_CHARS is cut
 * into pieces so a guest printing without newlines cannot grow memory.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private pending = '';

  /** Feeds a chunk received at time `t`; returns the lines it completed. */
  push(chunk: Uint8Array, t: number): ChannelLine[] {
    return this.split(this.decoder.decode(chunk, { stream: true }), t);
  }

  /** Ends the stream: a last line without newline is returned too. */
  end(t: number): ChannelLine[] {
    const lines = this.split(this.decoder.decode(), t);
    if (this.pending.length > 0) lines.push(this.emit(this.pending, t));
    this.pending = '';
    return lines;
  }

  /** The unterminated text seen so far (a prompt, a line in progress), cleaned. */
  partial(): string {
    return cleanLine(this.pending);
  }

  private split(text: string, t: number): ChannelLine[] {
    const lines: ChannelLine[] = [];
    let rest = this.pending + text;
    let newline = rest.indexOf('\n');
    while (newline !== -1) {
      const line = rest.slice(0, newline);
      // Strip the CR of CRLF before cutting, or a line of exactly MAX_LINE_CHARS would leave an empty piece.
      lines.push(...this.pieces(line.endsWith('\r') ? line.slice(0, -1) : line, t));
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
    // A CR just past the limit may be the first half of CRLF: keep it pending with its line.
    while (rest.length > MAX_LINE_CHARS + (rest.endsWith('\r') ? 1 : 0)) {
      lines.push(this.emit(rest.slice(0, MAX_LINE_CHARS), t));
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.pending = rest;
    return lines;
  }

  private pieces(line: string, t: number): ChannelLine[] {
    const out: ChannelLine[] = [];
    for (let i = 0; i < line.length; i += MAX_LINE_CHARS) out.push(this.emit(line.slice(i, i + MAX_LINE_CHARS), t));
    if (line.length === 0) out.push(this.emit('', t));
    return out;
  }

  private emit(raw: string, t: number): ChannelLine {
    return { text: cleanLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw), t };
  }
}
