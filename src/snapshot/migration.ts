// A machine's state through QEMU migration, over UNIX sockets in the run's private folder only: never an
// `exec:` URI, which QEMU runs through /bin/sh.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { QmpClient } from '../qemu/qmp-client.js';
import { DebugRunstateRewriter } from './runstate-rewrite.js';

/** How often `query-migrate` / `query-status` are asked while the stream goes. */
const POLL_MS = 10;

/** A migration bandwidth no local socket reaches (1 TiB/s); QEMU takes it in bytes per second. */
const UNCAPPED_BYTES_PER_SECOND = 2 ** 40;

export interface StreamFigures {
  bytes: number;
  sha256: string;
}

/**
 * Snapshot runs keep guest RAM in a file (argv.ts `guestRam`): QEMU leaves a shared RAM block out of the
 * stream with this capability, and a loading QEMU, which must have it too, keeps the memory its file maps.
 * QEMU 7.2 takes it over QMP only (no -global migration property yet).
 */
async function ignoreSharedRam(qmp: QmpClient): Promise<void> {
  await qmp.execute('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
}

/** Counts and hashes what goes through it. */
function measuring(): { transform: Transform; figures: () => StreamFigures } {
  const hash = createHash('sha256');
  let bytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { transform, figures: () => ({ bytes, sha256: hash.digest('hex') }) };
}

/** Passes the stream on with a `debug` run state said `paused` (see runstate-rewrite.ts). */
function pausedRunstate(rewriter: DebugRunstateRewriter): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) { done(null, rewriter.push(chunk)); },
    flush(done) { done(null, rewriter.end()); },
  });
}

/**
 * Stops the guest and has QEMU migrate it to `socketPath`, where this listens and writes the stream to
 * `file`. Resolves once QEMU says the migration completed and the file holds every byte. A guest the GDB
 * stub holds at a breakpoint stays where it is (`stop` leaves QEMU's `debug` run state alone), and its
 * stream is saved as a paused machine's.
 */
export async function saveMachine(qmp: QmpClient, socketPath: string, file: string): Promise<StreamFigures> {
  const { status } = (await qmp.execute('query-status')) as { status?: string };
  const rewriter = status === 'debug' ? new DebugRunstateRewriter() : undefined;
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, () => resolve()));
  const written = new Promise<StreamFigures>((resolve, reject) => {
    server.once('connection', (socket: Socket) => {
      server.close();
      const { transform, figures } = measuring();
      const sink = createWriteStream(file, { mode: 0o600 });
      (rewriter ? pipeline(socket, pausedRunstate(rewriter), transform, sink) : pipeline(socket, transform, sink)).then(() => resolve(figures()), reject);
    });
  });
  try {
    await qmp.execute('stop');
    // QEMU 7.2 caps a migration at 128 MiB/s by default: a 71 MB Linux machine took 0.52 s to save at that
    // rate. The guest is stopped and the stream goes to a local socket, so the cap only slows the save.
    await qmp.execute('migrate-set-parameters', { 'max-bandwidth': UNCAPPED_BYTES_PER_SECOND });
    await ignoreSharedRam(qmp);
    await qmp.execute('migrate', { uri: `unix:${socketPath}` });
    for (;;) {
      const state = (await qmp.execute('query-migrate')) as { status?: string; 'error-desc'?: string };
      if (state.status === 'completed') break;
      if (state.status === 'failed' || state.status === 'cancelled') throw new Error(`QEMU's migration ${state.status}${state['error-desc'] ? `: ${state['error-desc']}` : ''}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const figures = await written;
    if (rewriter && rewriter.rewritten !== 1) throw new Error(`the stream of a machine held at a breakpoint had ${rewriter.rewritten} globalstate sections in the debug run state, not one: this QEMU's stream is not laid out as QEMU 7.2's`);
    return figures;
  } finally {
    server.close();
  }
}

/**
 * Streams `file` into a QEMU started with `-incoming unix:<socketPath>` (QEMU listens there once it has
 * started), then waits until QEMU has loaded it: status `paused` under -S. Rejects with what went wrong
 * (QEMU refusing the stream ends it, or leaves it in another state).
 */
export async function loadMachine(qmp: QmpClient, socketPath: string, file: string, signal: AbortSignal): Promise<StreamFigures> {
  // Before the first byte: QEMU reads the stream's capabilities as it starts loading it.
  await ignoreSharedRam(qmp);
  const socket = await connectWhenListening(socketPath, signal);
  const sent = await sendFile(file, socket);
  for (;;) {
    signal.throwIfAborted();
    const state = (await qmp.execute('query-status')) as { status?: string };
    if (state.status === 'paused' || state.status === 'prelaunch') return sent;
    if (state.status !== 'inmigrate') throw new Error(`QEMU is ${state.status} after loading the stream, not paused`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Writes the file to the socket. QEMU closes its end as soon as it has read the stream's last section,
 * which may be before this end has finished: a close after the last byte went out is no error.
 */
function sendFile(file: string, socket: Socket): Promise<StreamFigures> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let allRead = false;
    let digest: string | undefined;
    const figures = (): StreamFigures => ({ bytes, sha256: (digest ??= hash.digest('hex')) });
    // QEMU may close right after the last chunk is handed over, before the read stream's own end event: the
    // whole stream went out once every byte of the file did.
    const size = statSync(file).size;
    const input = createReadStream(file);
    const fail = (error: Error): void => { input.destroy(); socket.destroy(); reject(error); };
    input.on('data', (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (bytes === size) allRead = true;
      if (!socket.write(chunk)) {
        input.pause();
        socket.once('drain', () => input.resume());
      }
    });
    input.once('error', fail);
    input.once('end', () => {
      allRead = true;
      socket.end(() => resolve(figures()));
    });
    socket.on('error', (error) => { if (!allRead) fail(error); });
    socket.once('close', () => {
      if (!allRead) fail(new Error(`QEMU closed the incoming stream after ${bytes} bytes`));
      else resolve(figures());
    });
  });
}

/** QEMU creates the incoming socket while it starts: try until it listens (or the run gives up). */
async function connectWhenListening(path: string, signal: AbortSignal): Promise<Socket> {
  for (;;) {
    signal.throwIfAborted();
    const socket = await new Promise<Socket | undefined>((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => { s.removeAllListeners('error'); resolve(s); });
      s.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? resolve(undefined) : reject(error)));
    });
    if (socket) return socket;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
