// What the session does differently per accelerator: decided from the accelerator, as data, not probed.
import type { PointType } from '../gdb/gdb-target.js';

export interface TargetRules {
  /** Z type of code points: 0 (software) under TCG; 1 (hardware) under KVM, where software ones kill a nested VM. */
  codePoint: PointType;
  /**
   * Under KVM, QEMU 7.2 fetches a vCPU's registers from KVM for `g` only: a `p` (or a `P` not preceded by a
   * `g`) after a stop sees the values of an earlier stop. So every stop reads `g` first.
   */
  registersNeedG: boolean;
  /**
   * Whether a breakpoint may be left by emulating its instruction instead of stepping (see
   * arch/x86-emulation.ts). Measured under TCG only: this machine's KVM cannot run the guests.
   */
  emulatesSteps: boolean;
}

export function targetRules(accel: 'tcg' | 'kvm'): TargetRules {
  return accel === 'kvm' ? { codePoint: 1, registersNeedG: true, emulatesSteps: false } : { codePoint: 0, registersNeedG: false, emulatesSteps: true };
}
