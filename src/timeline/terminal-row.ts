// One console line as a person sees it on a terminal. Firmware and boot loaders redraw text in place
// (OVMF's countdown rewrites its row with cursor moves, U-Boot's backs up with backspaces, progress
// bars return with CR): what is drawn over is gone, and text drawn on another row is another line.

// A CSI sequence (its parameters and final byte; the final may still be to come at the end of a line
// in progress), an OSC string, another ESC sequence, one control character, or a run of text.
const TOKEN = /\u001b\[([0-?]*)[ -/]*([@-~]|$)|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?|([\u0000-\u001f\u007f])|[^\u0000-\u001f\u007f]+/gy;

/** Final bytes of the CSI sequences that move the cursor or erase (others, such as colours, draw nothing). */
const MOVES = 'HfdG`CaDABeEFKJX';

/** CR, backspace, or a CSI sequence that moves the cursor or erases. */
const DRAWS_OVER = /[\r\b]|\u001b\[[0-?]*[ -/]*[HfdG`CaDABeEFKJX]/;
/** What draws nothing where nothing is drawn over: escape sequences (one cut at the end too) and controls. */
const NOTHING_DRAWN = /\u001b\[[0-?]*[ -/]*(?:[@-~]|$)|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[ -~]?|[\u0000-\u0008\u000a-\u001f\u007f]/g;

/** Whether a line needs drawing at all: plain text (TAB aside) is its own rendering. */
export function needsDrawing(raw: string): boolean {
  return /[\u0000-\u0008\u000a-\u001f\u007f]/.test(raw);
}

/**
 * The rows a line's raw text draws, in order: text over which later text was drawn (after CR,
 * backspace or a cursor move within the row) reads as the later text, erased cells as blanks, colours
 * and other escape sequences as nothing. A move to another row ends a row and starts the next, so no
 * row holds text pieced together from two. Blank cells before a row's first character are left out.
 * Always at least one row (an empty one for a line that draws nothing).
 */
export function renderRows(raw: string): string[] {
  // Most lines only colour their text: with nothing to draw over, removing the sequences is enough.
  if (!DRAWS_OVER.test(raw)) return [raw.replace(NOTHING_DRAWN, '')];
  const rows: string[] = [];
  let row = new Row();
  /** The screen row the cursor is on when the line has set it; undefined until then. */
  let screenRow: number | undefined;
  const toRow = (target: number | undefined): void => {
    if (target !== undefined && target === screenRow) return;
    // A line that never said its row may be on the one an absolute move names: only a relative move
    // (or an absolute one from a known row) surely leaves it.
    if (screenRow === undefined && target !== undefined) {
      screenRow = target;
      return;
    }
    if (row.drawn()) rows.push(row.text());
    row = new Row(row.col);
    screenRow = target;
  };
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(raw); match; match = TOKEN.exec(raw)) {
    const [token, params, final, control] = match;
    if (final !== undefined) {
      csi(params!, final);
    } else if (control !== undefined) {
      if (control === '\r') row.col = 0;
      else if (control === '\b') row.col = Math.max(0, row.col - 1);
      else if (control === '\t') row.put('\t');
    } else if (token.charCodeAt(0) !== 0x1b) {
      row.put(token);
    }
  }
  if (rows.length === 0 || row.drawn()) rows.push(row.text());
  return rows;

  function csi(params: string, final: string): void {
    // Colours (SGR, the commonest by far) and a final still to come draw nothing; a private parameter
    // prefix (`ESC[?25l`, `ESC[=3h`) marks modes, not cursor moves.
    if (final === '' || !MOVES.includes(final) || /^[<=>?]/.test(params)) return;
    const n = params.split(';').map((p) => Number.parseInt(p, 10) || 0);
    const count = Math.max(1, n[0]!);
    const relative = (rowsDown: number): void => toRow(screenRow === undefined ? undefined : screenRow + rowsDown);
    switch (final) {
      case 'H': case 'f': toRow(Math.max(1, n[0]!)); row.col = Math.max(1, n[1] ?? 0) - 1; break;
      case 'd': toRow(Math.max(1, n[0]!)); break;
      case 'G': case '`': row.col = count - 1; break;
      case 'C': case 'a': row.col += count; break;
      case 'D': row.col = Math.max(0, row.col - count); break;
      case 'A': relative(-count); break;
      case 'B': case 'e': relative(count); break;
      case 'E': relative(count); row.col = 0; break;
      case 'F': relative(-count); row.col = 0; break;
      case 'K': case 'J': row.erase(n[0]!); break;
      case 'X': row.blank(row.col, row.col + count); break;
    }
  }
}

/** Marks a cell never drawn, or erased: text runs never hold NUL (it is a control character). */
const HOLE = '\u0000';

/**
 * One row of cells, a UTF-16 unit each, kept as a string: text is nearly always drawn at the end of
 * the row, which is then an append. A character outside the BMP takes two cells, as it takes two
 * columns on most terminals; half of one drawn over reads as a blank.
 */
class Row {
  private cells = '';

  constructor(public col = 0) {}

  put(text: string): void {
    const end = this.col + text.length;
    if (this.col === this.cells.length) this.cells += text;
    else if (this.col > this.cells.length) this.cells += HOLE.repeat(this.col - this.cells.length) + text;
    else this.cells = this.cells.slice(0, this.col) + text + this.cells.slice(end);
    this.col = end;
  }

  /** Erase in line (or display, within this row): 0 from the cursor on, 1 up to it, 2 all. */
  erase(mode: number): void {
    if (mode === 0) this.cells = this.cells.slice(0, this.col);
    else if (mode === 1) this.blank(0, this.col + 1);
    else this.cells = '';
  }

  blank(from: number, to: number): void {
    const end = Math.min(to, this.cells.length);
    if (from < end) this.cells = this.cells.slice(0, from) + HOLE.repeat(end - from) + this.cells.slice(end);
  }

  drawn(): boolean {
    return NOT_HOLE.test(this.cells);
  }

  text(): string {
    let text = this.cells.replace(LEADING_HOLES, '');
    if (text.includes(HOLE)) text = text.replaceAll(HOLE, ' ');
    return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, ' ') : text;
  }
}

const NOT_HOLE = /[^\u0000]/;
const LEADING_HOLES = /^\u0000+/;
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
