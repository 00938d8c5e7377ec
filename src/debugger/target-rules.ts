// What the session does differently per accelerator and architecture: decided as data, not probed.
import type { ArchProfile } from '../arch/profiles.js';
import type { PointType } from '../gdb/gdb-target.js';

export type StepOffEmulation = NonNullable<ArchProfile['emulation']>;

export interface TargetRules {
  /** Z type of code points: 0 (software) under TCG; 1 (hardware) under KVM, where software ones kill a nested VM. */
  codePoint: PointType;
  /**
   * Under KVM, QEMU 7.2 fetches a vCPU's registers from KVM for `g` only: a `p` (or a `P` not preceded by a
   * `g`) after a stop sees the values of an earlier stop. So every stop reads `g` first.
   */
  registersNeedG: boolean;
  /**
   * The architecture's decoder when a breakpoint may be left by emulating its instruction instead of stepping
   * (its profile's emulation.ts). Measured under TCG only: this machine's KVM cannot run the guests.
   */
  emulation?: StepOffEmulation;
  /** The stub stops before a watched access: the session steps it with the watchpoints out (profile.watchpointStop). */
  watchStopsBeforeAccess: boolean;
  /**
   * The stub is QEMU's, whose threads are vCPUs it resumes one at a time (`vCont;c:<id>`) and tells halted:
   * with watchpoints in, an SMP guest's vCPUs run in turns (vcpu-turns.ts).
   */
  vcpuTurns?: true;
}

export function targetRules(accel: 'tcg' | 'kvm', profile: Pick<ArchProfile, 'emulation' | 'watchpointStop'>, stub: 'qemu' | 'guest' = 'qemu'): TargetRules {
  const watchStopsBeforeAccess = profile.watchpointStop === 'before-access';
  // The guest's stub writes its own breakpoints into the kernel (any accelerator) and reads the trap's saved
  // registers (never stale); its breakpoints are left by a single step, as gdb leaves them: emulating the
  // instruction was measured on QEMU's stub only.
  if (stub === 'guest') return { codePoint: 0, registersNeedG: false, watchStopsBeforeAccess };
  if (accel === 'kvm') return { codePoint: 1, registersNeedG: true, watchStopsBeforeAccess, vcpuTurns: true };
  return { codePoint: 0, registersNeedG: false, watchStopsBeforeAccess, vcpuTurns: true, ...(profile.emulation ? { emulation: profile.emulation } : {}) };
}
