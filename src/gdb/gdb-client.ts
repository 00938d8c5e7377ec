// The GDB stub over its UNIX socket: one request at a time, replies in order, stops from resumes.
import type { Socket } from 'node:net';
import { RspLink } from './rsp-link.js';

export class GdbError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GdbError';
  }
}

/** One write of packets and the replies it waits for; a resume, last, is answered by the next stop. */
interface Batch {
  packets: string[];
  /** How many of the packets are requests (the rest, at most one, the resume). */
  requests: number;
  replies: string[];
  resolve: (replies: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * Requests go in order and the stub answers them in order; `pipeline` writes several at once, which QEMU
 * reads and answers one after the other, saving the round trips between them. Acks for received packets
 * ride in front of the next write: any byte reaching QEMU's stub while the guest runs would stop it, so a
 * batch goes out only once the one before it is fully answered, its resume's stop included.
 *
 * This is the hot path of every breakpoint hit: a batch costs one write, and is sent at once when the
 * link is idle, without a turn of the event loop in between.
 */
export class GdbClient {
  private readonly link = new RspLink();
  private inFlight: Batch | undefined;
  /** When the in-flight batch's requests went out (performance.now()); undefined once they are answered. */
  private requestsSentAt: number | undefined;
  private readonly queued: Batch[] = [];
  /**
   * One watchdog for the link rather than a timer per batch: arming and clearing a timer costs a few
   * microseconds, twice per breakpoint hit. It checks four times per timeout, so a stall is reported
   * within 1.25 timeouts; unref'd, since the socket keeps the process alive while the link is open.
   */
  private readonly watchdog: NodeJS.Timeout;
  private closed: Error | undefined;
  private peerClosed = false;

  /**
   * `oneAtATime`: a guest's stub on a serial line (KGDB) waits for the ack of each reply before it reads on,
   * and takes a `$` in its place for a reconnecting debugger, dropping the reply: packets go one per write
   * and acks at once. (No VM stops on a byte there: the guest's own stub polls its UART only while stopped.)
   */
  constructor(private readonly socket: Socket, private readonly requestTimeoutMs = 5000, private readonly oneAtATime = false) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.peerClosed = true;
      this.fail(new GdbError('the GDB stub closed the connection (QEMU exited or was stopped)'));
    });
    socket.on('error', () => undefined); // 'close' follows and says it.
    this.watchdog = setInterval(() => this.checkStalled(), Math.max(1, requestTimeoutMs / 4)).unref();
  }

  /** A request answered by one reply packet (qSupported, p, P, m, M, Z, z, ...). */
  request(payload: string): Promise<string> {
    return this.pipeline([payload]).then(([reply]) => reply!);
  }

  /** A resume (c, s, vCont): the reply is the next stop, however long the guest runs. */
  resume(payload: string): Promise<string> {
    return this.pipeline([], payload).then(([stop]) => stop!);
  }

  /**
   * Several requests in one write, optionally followed by a resume: their replies, in order, then the stop.
   * Only for requests that cannot fail in a way that should keep the resume from happening; a nak of a
   * pipelined packet fails the whole batch (on a UNIX socket nothing corrupts packets).
   */
  pipeline(payloads: readonly string[], resume?: string): Promise<string[]> {
    if (this.oneAtATime && payloads.length + (resume === undefined ? 0 : 1) > 1) return this.inTurn(payloads, resume);
    return new Promise<string[]>((resolve, reject) => {
      if (this.closed) {
        reject(this.closed);
        return;
      }
      const batch: Batch = { packets: resume === undefined ? [...payloads] : [...payloads, resume], requests: payloads.length, replies: [], resolve, reject };
      if (this.inFlight) this.queued.push(batch);
      else this.send(batch);
    });
  }

  /** A pipeline's packets one batch each, in order, for a stub that takes one at a time. */
  private async inTurn(payloads: readonly string[], resume: string | undefined): Promise<string[]> {
    const replies: string[] = [];
    for (const payload of payloads) replies.push(...await this.pipeline([payload]));
    if (resume !== undefined) replies.push(...await this.pipeline([], resume));
    return replies;
  }

  /**
   * Stops a running target: a raw 0x03 byte, answered by a stop (`T02` on QEMU) as the reply of the pending
   * resume. Sent only while a resume waits, and returns whether it was: a stopped QEMU discards the byte, so
   * callers check for a halt themselves before they resume.
   */
  interrupt(): boolean {
    // After a pipeline the stub still answers its requests first; the byte reaches it behind them.
    const batch = this.inFlight;
    if (!batch || batch.requests === batch.packets.length) return false;
    this.socket.write(Buffer.from([0x03]));
    return true;
  }

  /** The stub went away (QEMU exited), as opposed to stalling or refusing a packet. */
  get closedByStub(): boolean {
    return this.peerClosed;
  }

  private send(batch: Batch): void {
    this.inFlight = batch;
    // A request not answered in time fails the link; a resume may wait as long as the guest runs.
    this.requestsSentAt = batch.requests > 0 ? performance.now() : undefined;
    let wire = '';
    for (const payload of batch.packets) wire += this.link.send(payload);
    this.socket.write(Buffer.from(wire, 'latin1'));
  }

  private checkStalled(): void {
    const batch = this.inFlight;
    if (!batch || this.requestsSentAt === undefined || performance.now() - this.requestsSentAt < this.requestTimeoutMs) return;
    this.fail(new GdbError(`the GDB stub did not answer "${summary(batch.packets[batch.replies.length]!)}" within ${this.requestTimeoutMs} ms`));
  }

  private onData(chunk: Buffer): void {
    const inputs = this.link.receive(chunk);
    if (this.oneAtATime) {
      const acks = this.link.takePendingAcks();
      if (acks) this.socket.write(Buffer.from(acks, 'latin1'));
    }
    for (const input of inputs) {
      if (input.kind === 'nak') this.answerNak();
      if (input.kind !== 'packet') continue;
      const batch = this.inFlight;
      if (!batch) continue; // an unsolicited stop; nothing waits for it
      batch.replies.push(input.payload);
      if (batch.replies.length === batch.requests) this.requestsSentAt = undefined;
      if (batch.replies.length < batch.packets.length) continue;
      this.inFlight = undefined;
      const next = this.queued.shift();
      if (next) this.send(next);
      batch.resolve(batch.replies);
    }
  }

  private answerNak(): void {
    try {
      // The link can send again only its last packet, which is not the one naked in a batch.
      if ((this.inFlight?.packets.length ?? 0) > 1) throw new Error('the GDB stub rejected a pipelined packet (nak)');
      this.socket.write(Buffer.from(this.link.retransmit(), 'latin1'));
    } catch (error) {
      this.fail(new GdbError((error as Error).message, { cause: error }));
    }
  }

  private fail(error: Error): void {
    this.closed ??= error;
    clearInterval(this.watchdog);
    const waiting = [...(this.inFlight ? [this.inFlight] : []), ...this.queued.splice(0)];
    this.inFlight = undefined;
    for (const batch of waiting) batch.reject(this.closed);
  }
}

function summary(payload: string): string {
  return payload.length > 40 ? `${payload.slice(0, 40)}...` : payload;
}
