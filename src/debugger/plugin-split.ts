// Which breakpoints the TCG plugin counts instead of the GDB stub: a hit that needs nothing read or
// written at the stop (no register or memory check, no fault on the same address) is only a count, and
// the plugin counts it without stopping the guest. The rest of the plan stays the stub's.
import type { CodePoint, DebugPlan } from './debug-plan.js';

/** A code point the plugin counts: its hits go to these expectations. */
export interface CountedPoint {
  address: bigint;
  where: string;
  expectations: number[];
}

export interface SplitPlan {
  /** What still stops the guest; empty (no code, no watches) when the stub is not needed at all. */
  stub: DebugPlan;
  counted: CountedPoint[];
}

export function countsOnly(point: CodePoint): boolean {
  return point.faults.length === 0 && point.expectations.every(({ expectation, memory }) => expectation.registers.length === 0 && memory.length === 0);
}

export function splitForPlugin(plan: DebugPlan): SplitPlan {
  // A point that an expectation left on the stub waits for (`after:`) stays on the stub too: the plugin's
  // hits arrive in batches, up to one batch after the stub's stops, so a watch gated by a counted point
  // would open only after the hits it was meant to count.
  const stubExpectations = [
    ...plan.watches.map(({ expectation }) => expectation),
    ...[...plan.code.values()].filter((point) => !countsOnly(point)).flatMap((point) => point.expectations.map(({ expectation }) => expectation)),
  ];
  const gating = new Set(stubExpectations.flatMap(({ after }) => (after === undefined ? [] : [after])));
  const code = new Map<bigint, CodePoint>();
  const counted: CountedPoint[] = [];
  // With a watchpoint in, QEMU runs the instruction that hit it again after the stop, and the plugin's count on
  // the instruction re-executed counts it again (measured: 236 calls counted for 200): every point stays a stop.
  const plugin = plan.watches.length === 0;
  // A snapshot point's hit holds the guest, and the hit a resumed guest starts at must not count again: the stub's.
  const snapshotPoint = (address: bigint, point: CodePoint): boolean => address === plan.resumesAt?.address || point.expectations.some(({ expectation }) => expectation.index === plan.holdAt);
  for (const [address, point] of plan.code) {
    if (plugin && countsOnly(point) && !snapshotPoint(address, point) && !point.expectations.some(({ expectation }) => gating.has(expectation.index))) counted.push({ address, where: point.where, expectations: point.expectations.map(({ expectation }) => expectation.index) });
    else code.set(address, point);
  }
  return { stub: { ...plan, code }, counted };
}

/** Whether a plan still has anything for the GDB stub to do. */
export function needsStub(plan: DebugPlan): boolean {
  // A run resumed at a snapshot's breakpoint checks through the stub that the guest is where it was saved.
  return plan.code.size > 0 || plan.watches.length > 0 || plan.resumesAt !== undefined;
}
