// A channel's screen as a person sees it, for failure messages: every row, framed and numbered.
import type { ScreenSize } from '../scenario/model.js';

/** The rows padded to the screen's width inside a frame, numbered from 1 as `screen row N` says. */
export function screenText(rows: readonly string[], size: ScreenSize): string[] {
  const width = Math.max(size.cols, ...rows.map((row) => row.length));
  const rule = `     +${'-'.repeat(width)}+`;
  return [rule, ...rows.map((row, i) => `${String(i + 1).padStart(4)} |${row.padEnd(width)}|`), rule];
}
