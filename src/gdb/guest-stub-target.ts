// A guest's own GDB stub (KGDB) made to look like QEMU's to the session: pc at the breakpoint, stepping off one.
import { GdbError, type GdbClient } from './gdb-client.js';
import { GdbTarget, type PointType } from './gdb-target.js';
import { parseStopReply, type StopReply, type ThreadId } from './rsp-codec.js';
import { buildRegisterMap } from './target-description.js';
import type { GuestStubFacts } from '../arch/profile.js';

/**
 * The packets used: qSupported (KGDB answers it empty where it serves no target description), `?`, p/P, m/M, Z0/z0, c, s. Not used: target
 * descriptions (the profile's fixed layout instead), vCont (KGDB has none: `c` and `s` move the CPU it
 * stopped on), g/G (p/P are enough), and threads: KGDB's are Linux tasks plus a shadow thread per CPU, not
 * vCPUs, so a stop names no vCPU and a timeout locates none.
 *
 * Where QEMU's stub differs and the session relies on it, this class makes up the difference:
 * - QEMU reports a breakpoint stop at the breakpoint; KGDB, on some architectures, past the breakpoint
 *   instruction (facts.pcAfterBreak): the pc is written back, as gdb does.
 * - QEMU steps an instruction under an inserted breakpoint; KGDB re-inserts every breakpoint on `s`, so the
 *   step would trap on the same breakpoint: the one at pc comes out for the step and goes back after.
 * - QEMU steps with interrupts masked; KGDB does not: they are held off for the step (see step()).
 */
export class GuestStubTarget extends GdbTarget {
  private readonly inserted = new Set<bigint>();

  private constructor(client: GdbClient, private readonly facts: GuestStubFacts, private readonly pcName: string) {
    super(client, buildRegisterMap([{ includes: [], registers: facts.registers.map(({ name, bits }) => ({ name, bitsize: bits })) }]), false);
  }

  /** After the guest announced that it waits (KGDB's kgdbwait) or broke in: the stub is in its command loop. */
  static async attachGuestStub(client: GdbClient, facts: GuestStubFacts, pcName: string): Promise<GuestStubTarget> {
    await client.request('qSupported:swbreak+');
    const status = parseStopReply(await client.request('?'));
    if (status.kind !== 'signal') throw new GdbError(`the guest's stub is not stopped (its answer to "?" is a ${status.kind} reply)`);
    return new GuestStubTarget(client, facts, pcName);
  }

  override async insertPoint(type: PointType, address: bigint, kind: number): Promise<void> {
    if (type !== 0) throw new GdbError(`the guest's stub is driven with software breakpoints (Z0) only, not Z${type}`);
    await super.insertPoint(type, address, kind);
    this.inserted.add(address);
  }

  override async removePoint(type: PointType, address: bigint, kind: number): Promise<void> {
    await super.removePoint(type, address, kind);
    this.inserted.delete(address);
  }

  override async continue(): Promise<StopReply> {
    return this.settle(await super.continue());
  }

  /**
   * One instruction with interrupts held off (facts.interruptsOff), and their bit put back as it was: an
   * instruction that sets or clears it itself (sti, cli, popf) at a breakpoint would lose that change.
   */
  override async step(): Promise<StopReply> {
    const pc = await this.readRegister(this.pcName);
    const under = this.inserted.has(pc);
    if (under) await super.removePoint(0, pc, 1);
    const { register, mask } = this.facts.interruptsOff;
    const flags = await this.readRegister(register);
    if (flags & mask) await this.writeRegister(register, flags & ~mask);
    const stop = await super.step();
    if (flags & mask && stop.kind === 'signal') await this.writeRegister(register, (await this.readRegister(register)) | mask);
    if (under) await super.insertPoint(0, pc, 1);
    return withoutThread(stop);
  }

  override async writeMany(registers: Record<string, bigint>, memory: readonly { address: bigint; size: number; value: bigint }[], resume: boolean): Promise<StopReply | undefined> {
    const stop = await super.writeMany(registers, memory, resume);
    return stop && this.settle(stop);
  }

  /** KGDB's threads are tasks, not vCPUs: the session's per-vCPU survey has nothing to select. */
  override async threads(): Promise<ThreadId[]> {
    return [];
  }

  /** KGDB over a serial port reads nothing while the kernel runs: a 0x03 would not stop it. */
  override interrupt(): boolean {
    return false;
  }

  private async settle(stop: StopReply): Promise<StopReply> {
    if (stop.kind !== 'signal' || this.facts.pcAfterBreak === 0) return withoutThread(stop);
    const pc = await this.readRegister(this.pcName);
    const at = pc - BigInt(this.facts.pcAfterBreak);
    if (this.inserted.has(at)) await this.writeRegister(this.pcName, at);
    return withoutThread(stop);
  }
}

function withoutThread(stop: StopReply): StopReply {
  if (stop.kind !== 'signal' || !stop.thread) return stop;
  const { thread: _task, ...rest } = stop;
  return rest;
}
