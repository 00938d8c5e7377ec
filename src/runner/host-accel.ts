// Chooses the accelerator: KVM only where the host CPU really has hardware virtualization for the guest's architecture.
import { readFile, access, constants } from 'node:fs/promises';
import type { Accel } from '../scenario/model.js';
import type { ArchProfile } from '../arch/profiles.js';
import { RunError } from './run-error.js';

/**
 * `auto` picks KVM only with vmx/svm in /proc/cpuinfo and a usable /dev/kvm: nested paravirtual KVM
 * (no vmx/svm flags) is too slow and too broken for guests to be worth it.
 */
export async function resolveAccel(accel: Accel, profile: Pick<ArchProfile, 'name' | 'kvmHostArch'>): Promise<'tcg' | 'kvm'> {
  if (accel === 'tcg') return 'tcg';
  if (process.arch !== profile.kvmHostArch) {
    if (accel === 'auto') return 'tcg';
    throw new RunError('kvm-unavailable', `machine.accel is kvm, but KVM runs only guests of the host's own architecture (${process.arch}), and this guest is ${profile.name}.`, 'Use accel: auto or tcg.');
  }
  const usable = await kvmUsable();
  if (accel === 'kvm' && !usable) {
    throw new RunError('kvm-unavailable', 'machine.accel is kvm, but this host has no usable hardware virtualization (no vmx/svm flag or no access to /dev/kvm).', 'Use accel: auto or tcg.');
  }
  return usable ? 'kvm' : 'tcg';
}

/** Asked once a process: the host's virtualization does not change while tests run, and every run asks. */
let kvmAnswer: Promise<boolean> | undefined;

function kvmUsable(): Promise<boolean> {
  return (kvmAnswer ??= probeKvm());
}

async function probeKvm(): Promise<boolean> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  // An x86 host names its virtualization in the CPU flags; nested paravirtual KVM lacks them. Other hosts' /dev/kvm is what they have.
  const hardware = process.arch !== 'x64' || /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo);
  const device = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(() => true, () => false);
  return hardware && device;
}
