// The GDB stub over its UNIX socket: one request at a time, replies in order, stops from resumes.
import type { Socket } from 'node:net';
import { RspLink } from './rsp-link.js';

export class GdbError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GdbError';
  }
}

interface Waiter {
  resolve: (payload: string) => void;
  reject: (error: Error) => void;
  /** A resume: the target runs until its reply (a stop) arrives. */
  resume: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Requests go in order and the stub answers them in order; `pipeline` writes several at once, which QEMU
 * reads and answers one after the other, saving the round trips between them. Acks for received packets
 * ride in front of the next write: any byte reaching QEMU's stub while the guest runs would stop it.
 */
export class GdbClient {
  private readonly link = new RspLink();
  /** Replies awaited, oldest first. */
  private waiters: Waiter[] = [];
  private closed: Error | undefined;
  private peerClosed = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** The last write was a batch: a nak cannot be answered by sending the link's last packet again. */
  private pipelined = false;

  constructor(private readonly socket: Socket, private readonly requestTimeoutMs = 5000) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.peerClosed = true;
      this.fail(new GdbError('the GDB stub closed the connection (QEMU exited or was stopped)'));
    });
    socket.on('error', () => undefined); // 'close' follows and says it.
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
    const next = this.chain.then(() => this.exchangeMany(payloads, resume));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /**
   * Stops a running target: a raw 0x03 byte, answered by a stop (`T02` on QEMU) as the reply of the pending
   * resume. Sent only while a resume waits, and returns whether it was: a stopped QEMU discards the byte, so
   * callers check for a halt themselves before they resume.
   */
  interrupt(): boolean {
    // After a pipeline the stub still answers its requests first; the byte reaches it behind them.
    if (!this.waiters.at(-1)?.resume) return false;
    this.socket.write(Buffer.from([0x03]));
    return true;
  }

  /** The stub went away (QEMU exited), as opposed to stalling or refusing a packet. */
  get closedByStub(): boolean {
    return this.peerClosed;
  }

  private exchangeMany(payloads: readonly string[], resume: string | undefined): Promise<string[]> {
    if (this.closed) return Promise.reject(this.closed);
    const all = [...payloads, ...(resume === undefined ? [] : [resume])];
    const replies = Promise.all(all.map((payload, i) => this.await(payload, i < payloads.length ? this.requestTimeoutMs : undefined)));
    this.pipelined = all.length > 1;
    this.socket.write(Buffer.from(all.map((payload) => this.link.send(payload)).join(''), 'latin1'));
    return replies;
  }

  /** Queues the waiter for one reply; a request (timeoutMs set) that is not answered in time fails the link. */
  private await(payload: string, timeoutMs: number | undefined): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, resume: timeoutMs === undefined };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => this.fail(new GdbError(`the GDB stub did not answer "${summary(payload)}" within ${timeoutMs} ms`)), timeoutMs);
      }
      this.waiters.push(waiter);
    });
  }

  private onData(chunk: Buffer): void {
    for (const input of this.link.receive(new Uint8Array(chunk))) {
      if (input.kind === 'nak') {
        try {
          // The link can send again only its last packet, which is not the one naked in a batch.
          if (this.pipelined) throw new Error('the GDB stub rejected a pipelined packet (nak)');
          this.socket.write(Buffer.from(this.link.retransmit(), 'latin1'));
        } catch (error) {
          this.fail(new GdbError((error as Error).message, { cause: error }));
        }
      }
      if (input.kind !== 'packet') continue;
      const waiter = this.waiters.shift();
      if (!waiter) continue; // an unsolicited stop; nothing waits for it
      clearTimeout(waiter.timer);
      waiter.resolve(input.payload);
    }
  }

  private fail(error: Error): void {
    this.closed ??= error;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.closed);
    }
  }
}

function summary(payload: string): string {
  return payload.length > 40 ? `${payload.slice(0, 40)}...` : payload;
}
