// Reads a file that QEMU appends a guest channel to, as it grows. A regular file never refuses a write,
// so QEMU never drops a byte (its UART drops what a full socket refuses, its virtconsole drops what any
// chardev cannot take at once) however far behind this reader falls; the file absorbs the difference.
import { EventEmitter } from 'node:events';
import { close, open, read, watch, constants, type FSWatcher } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;
/** Without inotify (watch limit reached) the file is polled this often instead. */
const POLL_MS = 20;

/**
 * Emits `data` (a Buffer, in file order) as the file grows and `close` once, after `finish()` has read
 * it to its end or `stop()` was called. `error` is never emitted: a read failure ends the tail (`close`)
 * and is kept in `failure`, for the runner to end the run with (what followed it was never read).
 */
export class FileTail extends EventEmitter {
  failure: Error | undefined;
  readonly #fd: number;
  #watcher: FSWatcher | undefined;
  #poller: NodeJS.Timeout | undefined;
  #position = 0;
  #reading = false;
  #grewMeanwhile = false;
  #finishing = false;
  #closed = false;
  readonly #finished: Promise<void>;

  /** Opens `path`, which must exist (the runner creates it empty before QEMU starts). */
  static open(path: string): Promise<FileTail> {
    return new Promise((resolve, reject) => {
      open(path, constants.O_RDONLY, (error, fd) => (error ? reject(error) : resolve(new FileTail(path, fd))));
    });
  }

  private constructor(path: string, fd: number) {
    super();
    this.#fd = fd;
    this.#finished = new Promise((resolve) => this.once('close', resolve));
    try {
      this.#watcher = watch(path, { persistent: false }, () => this.#pump());
      this.#watcher.on('error', () => this.#pollInstead());
    } catch {
      this.#pollInstead();
    }
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

  #pollInstead(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    if (!this.#closed && !this.#poller) this.#poller = setInterval(() => this.#pump(), POLL_MS).unref();
  }

  #pump(): void {
    if (this.#closed) return;
    if (this.#reading) {
      this.#grewMeanwhile = true;
      return;
    }
    this.#reading = true;
    this.#grewMeanwhile = false;
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    read(this.#fd, buffer, 0, CHUNK_BYTES, this.#position, (error, bytes) => {
      this.#reading = false;
      if (this.#closed) return;
      if (error) {
        this.failure = error;
        this.#close();
        return;
      }
      if (bytes > 0) {
        this.#position += bytes;
        this.emit('data', bytes === CHUNK_BYTES ? buffer : buffer.subarray(0, bytes));
        // More may be there already: read until a read comes back empty.
        this.#pump();
        return;
      }
      if (this.#grewMeanwhile) this.#pump();
      else if (this.#finishing) this.#close();
    });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    clearInterval(this.#poller);
    close(this.#fd, () => undefined);
    this.emit('close');
  }
}
