// The vCPUs' turns while watchpoints are in: who runs on each resume, when the turn passes, which stop is
// the pause of a turn that ran out and whether it dropped a debug exception. The clock is a variable; the
// interrupt and the stop thread marks recorded calls.
import { describe, expect, test } from 'vitest';
import { VcpuTurns } from '../../src/debugger/vcpu-turns.js';
import type { StopReply, ThreadId } from '../../src/gdb/rsp-codec.js';

const THREADS: ThreadId[] = [1, 2, 3].map((tid) => ({ pid: 1, tid }));
const TRAP: StopReply = { kind: 'signal', signal: 5, thread: { pid: 1, tid: 1 } };
const PAUSE: StopReply = { kind: 'signal', signal: 2, thread: { pid: 1, tid: 2 } };
const PAUSE_NAMING_1: StopReply = { kind: 'signal', signal: 2, thread: { pid: 1, tid: 1 } };

function turnsAt(clock: { now: number }, interrupts: number[], running = true, marked: number[] = []): VcpuTurns {
  return new VcpuTurns(THREADS, () => { interrupts.push(clock.now); return running; }, (thread) => { marked.push(thread.tid); return Promise.resolve(); }, 5, () => clock.now);
}

describe('VcpuTurns', () => {
  test('each resume runs the vCPU whose turn it is (another one marked the stop thread first); the next one once the turn has lasted its time', async () => {
    const clock = { now: 100 };
    const marked: number[] = [];
    const turns = turnsAt(clock, [], true, marked);
    const ran: number[] = [];
    const go = (thread: ThreadId): Promise<StopReply> => { ran.push(thread.tid); return Promise.resolve(TRAP); };
    await turns.resume(go);
    clock.now = 104;
    await turns.resume(go);
    clock.now = 105;
    await turns.resume(go);
    clock.now = 111;
    await turns.resume(go);
    await turns.resume(go);
    clock.now = 116;
    await turns.resume(go);
    expect(ran).toEqual([1, 1, 2, 3, 3, 1]);
    expect(marked).toEqual([2, 2, 3, 1, 1, 2]);
  });

  test('a vCPU still running when its time is up is interrupted, and only that pause is the turn\'s end', async () => {
    const clock = { now: 0 };
    const interrupts: number[] = [];
    const turns = turnsAt(clock, interrupts);
    // The timer fires while the guest runs: the stub then answers with the pause.
    const paused = await turns.resume(() => new Promise((resolve) => setTimeout(() => resolve(PAUSE), 30)));
    expect(interrupts).toHaveLength(1);
    expect(turns.endedTurn(paused)).toEqual({ exceptionDropped: false });
    // A pause naming the vCPU that ran: it took a debug exception, which made it QEMU's stop thread.
    expect(turns.endedTurn(PAUSE_NAMING_1)).toEqual({ exceptionDropped: true });
    // A stop that comes before the time is up clears the timer: no interrupt, and a pause is not the turn's.
    const trap = await turns.resume(() => Promise.resolve(TRAP));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(interrupts).toHaveLength(1);
    expect(turns.endedTurn(trap)).toBeUndefined();
    expect(turns.endedTurn(PAUSE)).toBeUndefined();
  });

  test('an interrupt that found the guest stopped already (the stop was on its way) does not end the turn', async () => {
    const clock = { now: 0 };
    const interrupts: number[] = [];
    const turns = turnsAt(clock, interrupts, false);
    const stop = await turns.resume(() => new Promise((resolve) => setTimeout(() => resolve(PAUSE), 30)));
    expect(interrupts).toHaveLength(1);
    expect(turns.endedTurn(stop)).toBeUndefined();
  });

  test('again resumes the same vCPU after its time is up', async () => {
    const clock = { now: 0 };
    const turns = turnsAt(clock, []);
    clock.now = 50;
    const ran: number[] = [];
    await turns.again((thread) => { ran.push(thread.tid); return Promise.resolve(TRAP); });
    expect(ran).toEqual([1]);
    expect(turns.thread.tid).toBe(1);
  });
});
