// A channel's bytes drawn on a terminal, read back as the rows a person sees: for guests that draw a
// full-screen text UI with cursor addressing (memtest86+, firmware menus), whose "lines" are not lines.
import xterm from '@xterm/headless';
import type { ScreenSize } from '../scenario/model.js';

const { Terminal } = xterm;

export type ScreenListener = (rows: readonly string[], t: number) => void;

/**
 * A UI redraws a field at a time, each a burst of bytes that QEMU's UART sends one by one: the rows are
 * read once the bytes pause this long, so that a check seldom sees a field half drawn...
 */
export const SETTLE_MS = 20;
/** ...and at least this long after the first byte not yet checked, for a guest that never pauses. */
export const MAX_CHECK_DELAY_MS = 200;

/**
 * xterm.js parses asynchronously, in batches: each write's callback comes once its bytes are drawn. The
 * rows are read when no write is left pending and the bytes have settled (see SETTLE_MS), so a burst is
 * one change, and the listener hears only of rows that differ from the last ones it heard.
 */
export class TerminalScreen {
  private readonly terminal: InstanceType<typeof Terminal>;
  private pending = 0;
  /** When the last chunk drawn arrived: the time of the check that reads it. */
  private drawnAt = 0;
  private settleTimer: NodeJS.Timeout | undefined;
  /** performance.now() when the first chunk not yet checked was drawn. */
  private uncheckedSince: number | undefined;
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
      this.drawnAt = t;
      if (this.pending === 0) this.scheduleCheck();
    });
  }

  /** Resolves once every byte written so far is drawn and its change reported, without waiting to settle. */
  drawn(): Promise<void> {
    if (this.pending === 0) {
      this.check();
      return Promise.resolve();
    }
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The rows as they stand, without trailing spaces: row 0 is the top of the screen. */
  rows(): readonly string[] {
    return this.lastRows;
  }

  dispose(): void {
    clearTimeout(this.settleTimer);
    this.terminal.dispose();
  }

  private scheduleCheck(): void {
    if (this.idleWaiters.length > 0) {
      this.check();
      return;
    }
    const now = performance.now();
    this.uncheckedSince ??= now;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.check(), Math.max(0, Math.min(SETTLE_MS, this.uncheckedSince + MAX_CHECK_DELAY_MS - now)));
  }

  private check(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    this.uncheckedSince = undefined;
    const rows = this.readRows();
    if (rows.some((row, i) => row !== this.lastRows[i])) {
      this.lastRows = rows;
      for (const listener of this.listeners) listener(rows, this.drawnAt);
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
