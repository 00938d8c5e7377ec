// A channel's bytes drawn on a terminal, read back as the rows a person sees: for guests that draw a
// full-screen text UI with cursor addressing (memtest86+, firmware menus), whose "lines" are not lines.
import xterm from '@xterm/headless';
import type { ScreenSize } from '../scenario/model.js';

const { Terminal } = xterm;

export type ScreenListener = (rows: readonly string[], t: number) => void;

/**
 * xterm.js parses asynchronously, in batches: each write's callback comes once its bytes are drawn. The
 * rows are read only when no write is left pending, so a burst of chunks (QEMU's UART sends a byte per
 * write) is one change, and the listener hears only of rows that differ from the last ones it heard.
 */
export class TerminalScreen {
  private readonly terminal: InstanceType<typeof Terminal>;
  private pending = 0;
  private lastRows: readonly string[];
  private idleWaiters: (() => void)[] = [];
  private readonly listeners: ScreenListener[] = [];

  constructor(readonly size: ScreenSize) {
    // No scrollback: what scrolls off the top is gone, as on the guest's screen.
    this.terminal = new Terminal({ rows: size.rows, cols: size.cols, scrollback: 0, allowProposedApi: true });
    this.lastRows = this.readRows();
  }

  onChange(listener: ScreenListener): void {
    this.listeners.push(listener);
  }

  /** Draws bytes that arrived at `t` (host ms); the change is reported with the time of the last chunk drawn. */
  write(bytes: Uint8Array, t: number): void {
    this.pending++;
    // A copy: the caller may reuse its buffer before xterm.js gets to it.
    this.terminal.write(new Uint8Array(bytes), () => {
      this.pending--;
      if (this.pending === 0) this.settle(t);
    });
  }

  /** Resolves once every byte written so far is drawn and its change reported. */
  drawn(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The rows as they stand, without trailing spaces: row 0 is the top of the screen. */
  rows(): readonly string[] {
    return this.lastRows;
  }

  dispose(): void {
    this.terminal.dispose();
  }

  private settle(t: number): void {
    const rows = this.readRows();
    if (rows.some((row, i) => row !== this.lastRows[i])) {
      this.lastRows = rows;
      for (const listener of this.listeners) listener(rows, t);
    }
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private readRows(): string[] {
    const buffer = this.terminal.buffer.active;
    const rows: string[] = [];
    // Spaces the guest drew at the end of a row are as invisible as cells it never drew.
    for (let y = 0; y < this.size.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true).trimEnd() ?? '');
    return rows;
  }
}
