// Where every vCPU is, read once the guest is stopped: how a hung guest's failure says what it was doing.
import type { GdbTarget } from '../gdb/gdb-target.js';
import type { ThreadId } from '../gdb/rsp-codec.js';
import { StopRegisters } from './stop-registers.js';
import type { TargetRules } from './target-rules.js';

export interface VcpuPosition {
  vcpu: number;
  pc: bigint;
}

/** QEMU numbers threads from 1 in vCPU order (cpu_index + 1); vCPUs count from 0. A stop without a thread is vCPU 0. */
export function vcpuOf(thread: ThreadId | undefined): number {
  return (thread?.tid ?? 1) - 1;
}

/** The pc of each thread the stub lists, selecting each in turn (the guest must be stopped). */
export async function locateVcpus(target: GdbTarget, rules: TargetRules, pcRegister: string): Promise<VcpuPosition[]> {
  const positions: VcpuPosition[] = [];
  for (const thread of await target.threads()) {
    await target.selectThread(thread);
    positions.push({ vcpu: vcpuOf(thread), pc: await new StopRegisters(target, rules).readOne(pcRegister) });
  }
  return positions;
}
