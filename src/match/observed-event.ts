// What the monitor sees of a run, one event at a time, and what a breakpoint hit says.
import type { Channel, Stream } from '../scenario/model.js';
import type { GuestCase } from '../results/guest-case.js';

export type Source = Stream | 'debugger' | 'results';

export interface ObservedEvent {
  source: Source;
  t: number;
  /** Order of arrival at the monitor: within one channel, the guest's own order. */
  seq: number;
  text?: string;
  code?: number;
  hit?: DebuggerHit;
  /** A guest test case that ended, read from `resultChannel`. */
  guestCase?: GuestCase;
  resultChannel?: Channel;
  /** The line at which that case ended (none when the output did): its guest time for timing. */
  caseLine?: string;
  /** A check of a channel drawn as a screen: its rows as they now stand. */
  rows?: readonly string[];
}

/**
 * A breakpoint or watchpoint stop, already attributed to the expectations it belongs to; or, counted by the
 * TCG plugin without stopping, every hit of one point on one vCPU since the plugin's previous batch.
 */
export interface DebuggerHit {
  expectations: number[];
  /** `guest_loop_target`, `0x1234` or `guest_check_value+0x4`. */
  where: string;
  vcpu: number;
  /** Set when a register or memory check at this hit did not hold. */
  checkFailure?: string;
  /** Hits this event stands for, when more than one: a plugin batch; its time is when they were counted. */
  count?: number;
}

/** The stream whose order an event keeps: a guest case is in order with the lines of its channel. */
export function streamOf(event: ObservedEvent): Source {
  return event.resultChannel ?? event.source;
}
