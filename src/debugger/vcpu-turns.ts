// One vCPU at a time while watchpoints are armed on an SMP guest. QEMU 7.2 reports one stop per VM stop: a
// vCPU's debug exception asks the main loop to stop the VM, and until it does the other vCPUs run on (MTTCG
// and round-robin TCG alike); any of them that takes a debug exception meanwhile is stopped unreported
// (gdb_set_stop_cpu keeps the last). A breakpoint is hit again on resume, but a watched write on x86 is done
// and lost, and every such vCPU keeps cpu->watchpoint_hit: its next stop of any kind is reported as that
// watchpoint (on ARM a breakpoint stop then looks like a watch and is stepped over unseen), through a freed
// pointer once the watchpoint was taken out and put back (measured: host addresses as the watch address).
// Resuming the vCPUs in turns (vCont;c:<id>) leaves one vCPU that can stop, so every stop is reported.
// A turn that runs out is paused with an interrupt, which drops a debug exception the vCPU takes at that
// instant (its request to stop the VM finds it stopped): the pause then names that vCPU, since the exception
// made it QEMU's stop thread, and before each resume another vCPU is made the stop thread (Hc) so that a
// pause naming the one that ran means exactly that.
import type { StopReply, ThreadId } from '../gdb/rsp-codec.js';

/** How long a vCPU runs before the next gets its turn (wall time, stops included). */
export const TURN_MS = 5;

const SIGINT = 2;

export class VcpuTurns {
  private current = 0;
  private turnEnds: number;
  /** The running turn's time ran out and the interrupt reached a running guest: the stop (T02) is ours. */
  private interrupted = false;

  /**
   * `interrupt` stops the running guest (0x03) and says whether one was running; `markStopThread` makes a
   * thread QEMU's stop thread (Hc).
   */
  constructor(private readonly threads: readonly ThreadId[], private readonly interrupt: () => boolean, private readonly markStopThread: (thread: ThreadId) => Promise<void>, private readonly turnMs = TURN_MS, private readonly now = (): number => performance.now()) {
    this.turnEnds = now() + turnMs;
  }

  /** The vCPU whose turn it is. */
  get thread(): ThreadId {
    return this.threads[this.current]!;
  }

  /**
   * Resumes the vCPU whose turn it is (the next one once the turn's time is up) with `go`; interrupts it
   * when its time runs out while it runs.
   */
  resume(go: (thread: ThreadId) => Promise<StopReply>): Promise<StopReply> {
    if (this.now() >= this.turnEnds) {
      this.current = (this.current + 1) % this.threads.length;
      this.turnEnds = this.now() + this.turnMs;
    }
    return this.run(this.turnEnds, go);
  }

  /** Resumes the same vCPU once more whatever the time (interrupted after a turn's length at most). */
  again(go: (thread: ThreadId) => Promise<StopReply>): Promise<StopReply> {
    return this.run(this.now() + this.turnMs, go);
  }

  /**
   * Whether `stop` is the pause of a turn that ran out rather than anything the guest did: undefined if not,
   * else whether the vCPU took a debug exception the pause dropped.
   */
  endedTurn(stop: StopReply): { exceptionDropped: boolean } | undefined {
    if (!this.interrupted || stop.kind !== 'signal' || stop.signal !== SIGINT) return undefined;
    return { exceptionDropped: stop.thread?.tid === this.thread.tid && stop.thread.pid === this.thread.pid };
  }

  private async run(until: number, go: (thread: ThreadId) => Promise<StopReply>): Promise<StopReply> {
    this.interrupted = false;
    await this.markStopThread(this.threads[(this.current + 1) % this.threads.length]!);
    // Timed from the resume itself (a loaded host can take milliseconds to answer the mark), and at least a
    // millisecond of it: an interrupt in the resume's write would leave the vCPU no time to run at all.
    const timer = setTimeout(() => {
      this.interrupted = this.interrupt();
      // Node's timers may fire a little early: the turn is over whatever the clock says.
      this.turnEnds = Math.min(this.turnEnds, this.now());
    }, Math.max(1, until - this.now()));
    try {
      return await go(this.thread);
    } finally {
      clearTimeout(timer);
    }
  }
}
