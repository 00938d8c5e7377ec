// The time axis of a timeline: ms to x, and ticks at round steps.

export interface TimeAxis {
  /** The last ms the axis shows (at least 1, so a zero-length run still has an axis). */
  endMs: number;
  x(ms: number): number;
  ticks: number[];
}

/** An axis over [0, endMs] drawn from `left` to `left + width` px, with about `targetTicks` ticks at 1, 2 or 5 x 10^k ms. */
export function timeAxis(endMs: number, left: number, width: number, targetTicks = 8): TimeAxis {
  const end = Math.max(endMs, 1);
  const step = niceStep(end / targetTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= end + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return { endMs: end, x: (ms) => left + (Math.min(Math.max(ms, 0), end) / end) * width, ticks };
}

/** The smallest of 1, 2, 5 x 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9))!;
}
