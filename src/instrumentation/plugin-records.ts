// The TCG plugin's stream (plugin/README.md has the layout) read as records: frames may arrive split or
// several to a chunk; each complete one is decoded, the rest kept for the next chunk.

/** Sent once, first: what the plugin counts and how. */
export interface PluginHello {
  protocol: number;
  /** QEMU's plugin API version (info->version.cur). */
  apiVersion: number;
  /** vCPU slots: counts come per vCPU index below this. */
  vcpus: number;
  /** Code points counted, after de-duplication: a point delta names one by its index in sorted order. */
  points: number;
  /** Size of the block table; 0 when blocks are not counted. */
  blockCapacity: number;
  /** Counted by inline adds (one vCPU), else by execution callbacks. */
  inlinePoints: boolean;
  inlineBlocks: boolean;
  target: string;
}

/** `mark`: sent by the vCPU that reached a mark (plugin-marks.ts), before it ran on. */
export type BatchReason = 'timer' | 'asked' | 'exit' | 'mark';

/** Executions of one code point on one vCPU since the previous batch. */
export interface PointDelta {
  point: number;
  vcpu: number;
  delta: number;
}

/** A translated block, announced once (in the batch of its first delta or before). */
export interface BlockInfo {
  id: number;
  vaddr: bigint;
  bytes: number;
  instructions: number;
}

export interface BlockDelta {
  id: number;
  delta: number;
}

/** Counts that changed since the previous batch, read at one instant of the host's monotonic clock. */
export interface PluginBatch {
  /** CLOCK_MONOTONIC ns, the clock process.hrtime.bigint() reads. */
  timeNs: bigint;
  reason: BatchReason;
  /** Flush requests the plugin had read when it sent this batch: all of them are answered by it. */
  answered: number;
  points: PointDelta[];
  newBlocks: BlockInfo[];
  blocks: BlockDelta[];
  /** Blocks not counted so far because the table was full. */
  blocksDropped: number;
}

export type PluginRecord = { kind: 'hello'; hello: PluginHello } | { kind: 'batch'; batch: PluginBatch };

/** The stream is not the plugin's: a frame of an unknown kind or a size that cannot be. */
export class PluginStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginStreamError';
  }
}

const FRAME_HELLO = 1;
const FRAME_BATCH = 2;
const BATCH_HEADER = 40;
const POINT_ENTRY = 16;
const BLOCK_ENTRY = 24;
const BLOCK_DELTA_ENTRY = 16;
/** The largest batch the plugin can send: 4096 points x 64 vCPUs and a full block table of 2^24, twice. */
const MAX_FRAME = BATCH_HEADER + 4096 * 64 * POINT_ENTRY + (1 << 24) * (BLOCK_ENTRY + BLOCK_DELTA_ENTRY);
const REASONS: readonly BatchReason[] = ['timer', 'asked', 'exit', 'mark'];

export class PluginRecordDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Bytes received that do not make a whole frame yet. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** The records completed by `chunk`; throws PluginStreamError on a frame that cannot be the plugin's. */
  push(chunk: Buffer): PluginRecord[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const records: PluginRecord[] = [];
    let offset = 0;
    while (this.pending.length - offset >= 4) {
      const length = this.pending.readUInt32LE(offset);
      if (length < 1 || length > MAX_FRAME) throw new PluginStreamError(`a frame of ${length} bytes at stream offset ${offset}: not the plugin's stream`);
      if (this.pending.length - offset - 4 < length) break;
      records.push(decodeFrame(this.pending.subarray(offset + 4, offset + 4 + length)));
      offset += 4 + length;
    }
    this.pending = this.pending.subarray(offset);
    return records;
  }
}

function decodeFrame(frame: Buffer): PluginRecord {
  const kind = frame[0];
  const body = frame.subarray(1);
  if (kind === FRAME_HELLO) {
    if (body.length < 24) throw new PluginStreamError(`a hello frame of ${body.length} bytes, expected at least 24`);
    const flags = body.readUInt32LE(20);
    return {
      kind: 'hello',
      hello: {
        protocol: body.readUInt32LE(0),
        apiVersion: body.readUInt32LE(4),
        vcpus: body.readUInt32LE(8),
        points: body.readUInt32LE(12),
        blockCapacity: body.readUInt32LE(16),
        inlinePoints: (flags & 1) !== 0,
        inlineBlocks: (flags & 2) !== 0,
        target: body.subarray(24).toString('latin1'),
      },
    };
  }
  if (kind === FRAME_BATCH) return { kind: 'batch', batch: decodeBatch(body) };
  throw new PluginStreamError(`a frame of kind ${kind}, expected 1 (hello) or 2 (batch)`);
}

function decodeBatch(body: Buffer): PluginBatch {
  if (body.length < BATCH_HEADER) throw new PluginStreamError(`a batch of ${body.length} bytes, shorter than its ${BATCH_HEADER}-byte header`);
  const reasonCode = body[8]!;
  const reason = REASONS[reasonCode];
  if (!reason) throw new PluginStreamError(`a batch sent for reason ${reasonCode}, expected 0 (timer), 1 (asked), 2 (exit) or 3 (mark)`);
  const nPoints = body.readUInt32LE(16);
  const nNew = body.readUInt32LE(20);
  const nDeltas = body.readUInt32LE(24);
  const expected = BATCH_HEADER + nPoints * POINT_ENTRY + nNew * BLOCK_ENTRY + nDeltas * BLOCK_DELTA_ENTRY;
  if (body.length !== expected) throw new PluginStreamError(`a batch of ${body.length} bytes whose header counts ${nPoints} point deltas, ${nNew} new blocks and ${nDeltas} block deltas (${expected} bytes)`);
  let at = BATCH_HEADER;
  const points: PointDelta[] = [];
  for (let i = 0; i < nPoints; i++, at += POINT_ENTRY) {
    points.push({ point: body.readUInt32LE(at), vcpu: body.readUInt32LE(at + 4), delta: Number(body.readBigUInt64LE(at + 8)) });
  }
  const newBlocks: BlockInfo[] = [];
  for (let i = 0; i < nNew; i++, at += BLOCK_ENTRY) {
    newBlocks.push({ id: body.readUInt32LE(at), bytes: body.readUInt32LE(at + 4), vaddr: body.readBigUInt64LE(at + 8), instructions: body.readUInt32LE(at + 16) });
  }
  const blocks: BlockDelta[] = [];
  for (let i = 0; i < nDeltas; i++, at += BLOCK_DELTA_ENTRY) {
    blocks.push({ id: body.readUInt32LE(at), delta: Number(body.readBigUInt64LE(at + 8)) });
  }
  return {
    timeNs: body.readBigUInt64LE(0),
    reason,
    answered: body.readUInt32LE(12),
    points,
    newBlocks,
    blocks,
    blocksDropped: Number(body.readBigUInt64LE(28)),
  };
}
