// Reads a file that QEMU appends a guest channel to, as it grows. A regular file never refuses a write,
// so QEMU never drops a byte (its UART drops what a full socket refuses, its virtconsole drops what any
// chardev cannot take at once) however far behind this reader falls; the file absorbs the difference.
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readSync, watch, constants, type FSWatcher } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;
/** Without inotify (watch limit reached) the file is polled this often instead. */
const POLL_MS = 20;
/**
 * QEMU writes a UART's or a debug port's bytes one write at a time (SeaBIOS's 2.3 KB log on port 0x402:
 * ~1,700 change events a boot). Once a write wakes the reader, it stops hearing each one and reads
 * again this long after each read that found more, until one finds nothing: a burst costs a few reads
 * and no byte waits longer than this.
 */
const BURST_READ_MS = 1;

/**
 * Emits `data` (a Buffer, in file order) as the file grows and `close` once, after `finish()` has read
 * it to its end or `stop()` was called. `error` is never emitted: a read failure ends the tail (`close`)
 * and is kept in `failure`, for the runner to end the run with (what followed it was never read).
 */
export class FileTail extends EventEmitter {
  failure: Error | undefined;
  readonly #fd: number;
  readonly #path: string;
  #watcher: FSWatcher | undefined;
  #poller: NodeJS.Timeout | undefined;
  /** The next read of a burst (see BURST_READ_MS). */
  #nextRead: NodeJS.Timeout | undefined;
  /** The next read after a full chunk: at once, but after the event loop's other work. */
  #nextChunk: NodeJS.Immediate | undefined;
  /** Reused for reads that come back short: their bytes are copied out, a full one is handed over. */
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  #position = 0;
  #finishing = false;
  #closed = false;
  readonly #finished: Promise<void>;

  /**
   * Opens `path`, which must exist, or with `create` makes it, empty and 0600, where nothing may be yet (the
   * runner does, before QEMU starts, so that the reader is at byte 0 of what QEMU writes). Synchronous, as
   * is the close: a local open is microseconds, where each round trip through libuv's thread pool cost
   * ~0.1-0.3 ms of a loaded machine's time, several times a run.
   */
  static open(path: string, { create = false }: { create?: boolean } = {}): Promise<FileTail> {
    try {
      const fd = openSync(path, create ? constants.O_RDONLY | constants.O_CREAT | constants.O_EXCL : constants.O_RDONLY, 0o600);
      return Promise.resolve(new FileTail(path, fd));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private constructor(path: string, fd: number) {
    super();
    this.#fd = fd;
    this.#path = path;
    this.#finished = new Promise((resolve) => this.once('close', resolve));
    this.#watch();
  }

  /** Reads what is left once the writer is gone (QEMU exited), then closes. */
  finish(): Promise<void> {
    this.#finishing = true;
    this.#pump();
    return this.#finished;
  }

  /** Closes now, leaving the rest unread (a channel past its output limit). */
  stop(): void {
    this.#close();
  }

  #watch(): void {
    try {
      this.#watcher = watch(this.#path, { persistent: false }, () => this.#wake());
      this.#watcher.on('error', () => this.#pollInstead());
    } catch {
      this.#pollInstead();
    }
  }

  /** The first write of a burst: read it, and the rest on a timer (see BURST_READ_MS). */
  #wake(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#pump();
  }

  #pollInstead(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (!this.#closed && !this.#poller) this.#poller = setInterval(() => this.#pump(), POLL_MS).unref();
  }

  /**
   * One read. Synchronous: the file is local and QEMU has just written it, so a read is a copy from the
   * page cache (~0.5 us here), where fs.read's round trip through libuv's thread pool took ~9 us, and
   * far more on a loaded machine, for each of a burst's reads.
   */
  #pump(): void {
    if (this.#closed) return;
    clearTimeout(this.#nextRead);
    this.#nextRead = undefined;
    if (this.#nextChunk) clearImmediate(this.#nextChunk);
    this.#nextChunk = undefined;
    let bytes: number;
    try {
      bytes = readSync(this.#fd, this.#buffer, 0, CHUNK_BYTES, this.#position);
    } catch (error) {
      this.failure = error as Error;
      this.#close();
      return;
    }
    if (bytes > 0) {
      this.#position += bytes;
      const full = bytes === CHUNK_BYTES;
      const chunk = full ? this.#buffer : Buffer.from(this.#buffer.subarray(0, bytes));
      if (full) this.#buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      this.emit('data', chunk);
      // A full chunk: more is there already. A short one: the writer is mid-burst (or gone, at finish).
      if (full) this.#nextChunk = setImmediate(() => this.#pump());
      else if (this.#finishing) this.#pump();
      else if (!this.#closed) this.#nextRead = setTimeout(() => this.#pump(), BURST_READ_MS);
      return;
    }
    if (this.#finishing) this.#close();
    else if (!this.#watcher && !this.#poller) {
      // The burst is over: back to hearing writes, and one more read for any that came before the watch did.
      this.#watch();
      this.#pump();
    }
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    clearInterval(this.#poller);
    clearTimeout(this.#nextRead);
    if (this.#nextChunk) clearImmediate(this.#nextChunk);
    closeSync(this.#fd);
    this.emit('close');
  }
}
