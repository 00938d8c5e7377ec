// The TCG plugin's stream, decoded from bytes the plugin sent in a real run (smp=5000 on 2 vCPUs, points at
// guest_loop_target and at an address never executed, blocks=on, one flush asked) and from frames built here.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PluginRecordDecoder, type PluginBatch, type PluginRecord } from '../../src/instrumentation/plugin-records.js';
import { PointCounts, pluginOrder, pointsArgument } from '../../src/instrumentation/point-counts.js';
import { BlockCounts } from '../../src/instrumentation/block-counts.js';

const RECORDED = readFileSync(new URL('../fixtures/plugin/loop-5000-smp2.bin', import.meta.url));
const GUEST_LOOP_TARGET = 0x101290n;
const NEVER_RUN = 0x101000n;

function decodeAll(bytes: Buffer, chunk = bytes.length): PluginRecord[] {
  const decoder = new PluginRecordDecoder();
  const records: PluginRecord[] = [];
  for (let at = 0; at < bytes.length; at += chunk) records.push(...decoder.push(bytes.subarray(at, at + chunk)));
  expect(decoder.pendingBytes).toBe(0);
  return records;
}

const batches = (records: PluginRecord[]): PluginBatch[] => records.flatMap((r) => (r.kind === 'batch' ? [r.batch] : []));

describe('the recorded stream', () => {
  const records = decodeAll(RECORDED);

  test('opens with the hello: two vCPUs, two points, the block table, callbacks (not inline) with two vCPUs', () => {
    expect(records[0]).toEqual({ kind: 'hello', hello: { protocol: 1, apiVersion: 1, vcpus: 2, points: 2, blockCapacity: 262144, inlinePoints: false, inlineBlocks: false, target: 'x86_64' } });
    expect(records.slice(1).every((r) => r.kind === 'batch')).toBe(true);
  });

  test('counts guest_loop_target 5000 times on each vCPU, and the point never run not at all', () => {
    const counts = new PointCounts([NEVER_RUN, GUEST_LOOP_TARGET]);
    for (const batch of batches(records)) counts.apply(batch);
    expect(counts.total(GUEST_LOOP_TARGET, 0)).toBe(5000);
    expect(counts.total(GUEST_LOOP_TARGET, 1)).toBe(5000);
    expect(counts.total(GUEST_LOOP_TARGET)).toBe(10000);
    expect(counts.total(NEVER_RUN)).toBe(0);
  });

  test('batches come in time order, the asked one answers the one request, the last is the exit batch', () => {
    const all = batches(records);
    for (let i = 1; i < all.length; i++) expect(all[i]!.timeNs).toBeGreaterThanOrEqual(all[i - 1]!.timeNs);
    expect(all.filter((b) => b.reason === 'asked')).toHaveLength(1);
    expect(all.find((b) => b.reason === 'asked')!.answered).toBe(1);
    expect(all.at(-1)!.reason).toBe('exit');
  });

  test('blocks: each announced once before its deltas, ids from 0 in order, none dropped, the entry block among them', () => {
    const blocks = new BlockCounts();
    for (const batch of batches(records)) blocks.apply(batch);
    const ids = [...blocks.blocks()].map((b) => b.id);
    expect(ids).toEqual(ids.map((_, i) => i));
    expect(blocks.size).toBeGreaterThan(100);
    expect(blocks.dropped).toBe(0);
    // guest_loop_target is a block of its own, called 10,000 times in all.
    const target = [...blocks.blocks()].filter((b) => b.vaddr === GUEST_LOOP_TARGET);
    expect(target.reduce((sum, b) => sum + b.executions, 0)).toBe(10000);
    expect(blocks.instructions()).toBeGreaterThan(10000 * target[0]!.instructions);
  });

  test('decodes the same split at any size: frames across chunks are kept until whole', () => {
    const whole = decodeAll(RECORDED);
    for (const chunk of [1, 3, 7, 16, 45, 1000]) expect(decodeAll(RECORDED, chunk)).toEqual(whole);
  });
});

/** A batch frame as the plugin lays it out (plugin/README.md). */
function batchFrame(fields: { timeNs: bigint; reason: number; answered: number; points?: [number, number, bigint][]; newBlocks?: [number, number, bigint, number][]; blocks?: [number, bigint][]; dropped?: bigint }): Buffer {
  const points = fields.points ?? [];
  const newBlocks = fields.newBlocks ?? [];
  const deltas = fields.blocks ?? [];
  const body = Buffer.alloc(1 + 40 + points.length * 16 + newBlocks.length * 24 + deltas.length * 16);
  body[0] = 2;
  body.writeBigUInt64LE(fields.timeNs, 1);
  body[9] = fields.reason;
  body.writeUInt32LE(fields.answered, 13);
  body.writeUInt32LE(points.length, 17);
  body.writeUInt32LE(newBlocks.length, 21);
  body.writeUInt32LE(deltas.length, 25);
  body.writeBigUInt64LE(fields.dropped ?? 0n, 29);
  let at = 41;
  for (const [point, vcpu, delta] of points) { body.writeUInt32LE(point, at); body.writeUInt32LE(vcpu, at + 4); body.writeBigUInt64LE(delta, at + 8); at += 16; }
  for (const [id, bytes, vaddr, insns] of newBlocks) { body.writeUInt32LE(id, at); body.writeUInt32LE(bytes, at + 4); body.writeBigUInt64LE(vaddr, at + 8); body.writeUInt32LE(insns, at + 16); at += 24; }
  for (const [id, delta] of deltas) { body.writeUInt32LE(id, at); body.writeBigUInt64LE(delta, at + 8); at += 16; }
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length);
  return Buffer.concat([length, body]);
}

describe('frames built here', () => {
  test('a batch with every kind of entry, two to a chunk', () => {
    const bytes = Buffer.concat([
      batchFrame({ timeNs: 5n, reason: 0, answered: 0, points: [[1, 3, 7n]], newBlocks: [[0, 12, 0xffffffff81000000n, 4]], blocks: [[0, 9n]] }),
      batchFrame({ timeNs: 6n, reason: 2, answered: 4, blocks: [[0, 1n]], dropped: 2n }),
    ]);
    const [first, second] = batches(decodeAll(bytes));
    expect(first).toEqual({ timeNs: 5n, reason: 'timer', answered: 0, points: [{ point: 1, vcpu: 3, delta: 7 }], newBlocks: [{ id: 0, bytes: 12, vaddr: 0xffffffff81000000n, instructions: 4 }], blocks: [{ id: 0, delta: 9 }], blocksDropped: 0 });
    expect(second).toMatchObject({ reason: 'exit', answered: 4, blocksDropped: 2 });
    const blocks = new BlockCounts();
    blocks.apply(first!);
    const before = blocks.snapshot();
    blocks.apply(second!);
    expect(BlockCounts.between(before, blocks.snapshot())).toEqual(new Map([[0, 1]]));
    expect(blocks.instructions()).toBe(40);
    expect(blocks.dropped).toBe(2);
  });

  test('refuses a frame that cannot be the plugin\'s, saying what was wrong', () => {
    const decoder = () => new PluginRecordDecoder();
    expect(() => decoder().push(Buffer.from([0, 0, 0, 0]))).toThrow(/a frame of 0 bytes at stream offset 0/);
    expect(() => decoder().push(Buffer.from([1, 0, 0, 0, 9]))).toThrow(/a frame of kind 9, expected 1 \(hello\) or 2 \(batch\)/);
    const lying = batchFrame({ timeNs: 1n, reason: 0, answered: 0, points: [[0, 0, 1n]] });
    lying.writeUInt32LE(2, 4 + 17);
    expect(() => decoder().push(lying)).toThrow(/whose header counts 2 point deltas, 0 new blocks and 0 block deltas \(72 bytes\)/);
    expect(() => decoder().push(batchFrame({ timeNs: 1n, reason: 7, answered: 0 }))).toThrow(/a batch sent for reason 7, expected 0 \(timer\), 1 \(asked\), 2 \(exit\) or 3 \(mark\)/);
  });

  test('a batch the vCPU sent at a mark', () => {
    const [batch] = batches(decodeAll(batchFrame({ timeNs: 9n, reason: 3, answered: 0, points: [[0, 1, 5n]] })));
    expect(batch).toMatchObject({ timeNs: 9n, reason: 'mark', points: [{ point: 0, vcpu: 1, delta: 5 }] });
  });

  test('a delta of a point or block the run never gave is an error, not a count', () => {
    const [batch] = batches(decodeAll(batchFrame({ timeNs: 1n, reason: 0, answered: 0, points: [[2, 0, 1n]], blocks: [[5, 1n]] })));
    expect(() => new PointCounts([1n, 2n]).apply(batch!)).toThrow(/a delta of point 2, but the plugin was given 2 points/);
    expect(() => new BlockCounts().apply(batch!)).toThrow(/a delta of block 5, which no batch announced/);
  });

  test('points are indexed as the plugin sorts them: ascending, duplicates once', () => {
    expect(pluginOrder([0x30n, 0x10n, 0x30n, 0x20n])).toEqual([0x10n, 0x20n, 0x30n]);
    expect(pointsArgument([0x101290n, 0xffffffff81000000n, 0x101290n])).toBe('101290:ffffffff81000000');
    const counts = new PointCounts([0x30n, 0x10n]);
    const [batch] = batches(decodeAll(batchFrame({ timeNs: 1n, reason: 0, answered: 0, points: [[0, 0, 2n], [1, 1, 3n]] })));
    expect(counts.apply(batch!)).toEqual([{ address: 0x10n, vcpu: 0, count: 2 }, { address: 0x30n, vcpu: 1, count: 3 }]);
  });
});
