// The runner's end of the TCG plugin's socket: decodes its frames as they come and asks it for a batch
// ("flush now": one byte) when a verdict needs counts up to this moment.
import type { Socket } from 'node:net';
import { PluginRecordDecoder, PluginStreamError, type PluginBatch, type PluginHello } from '../instrumentation/plugin-records.js';

export class PluginLink {
  private readonly decoder = new PluginRecordDecoder();
  private requested = 0;
  private answered = 0;
  private readonly waiting: { upTo: number; resolve: () => void }[] = [];
  private closed = false;
  /** Settles when the plugin has said what it counts; never, if QEMU ends first. */
  readonly hello: Promise<PluginHello>;
  /** Settles when the plugin's socket closes: after its exit batch, when QEMU ends. */
  readonly ended: Promise<void>;

  /** `batch` is called for each batch, in order; `failed` once, for a stream that is not the plugin's. */
  constructor(private readonly socket: Socket, batch: (batch: PluginBatch) => void, failed: (error: PluginStreamError) => void) {
    let helloSeen!: (hello: PluginHello) => void;
    this.hello = new Promise((resolve) => { helloSeen = resolve; });
    this.ended = new Promise((resolve) => socket.once('close', () => {
      this.closed = true;
      this.release(Number.POSITIVE_INFINITY);
      resolve();
    }));
    socket.on('data', (chunk: Buffer) => {
      let records;
      try {
        records = this.decoder.push(chunk);
      } catch (error) {
        socket.destroy();
        failed(error as PluginStreamError);
        return;
      }
      for (const record of records) {
        if (record.kind === 'hello') {
          helloSeen(record.hello);
          continue;
        }
        batch(record.batch);
        this.release(record.batch.answered);
      }
    });
  }

  /**
   * Asks for a batch and settles once it has been handed to `batch` (or the socket closed): every
   * execution the guest made before this call has then been counted.
   */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const upTo = ++this.requested;
    this.socket.write(Buffer.of(1));
    return new Promise((resolve) => this.waiting.push({ upTo, resolve }));
  }

  private release(answered: number): void {
    this.answered = Math.max(this.answered, answered);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i]!;
      if (waiter.upTo <= this.answered) {
        this.waiting.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
