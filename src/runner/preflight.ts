// Checks what can be checked before QEMU starts, so common mistakes get a one-line cause and a fix.
// The file checks are synchronous: each is a local syscall of microseconds, where a round trip through
// libuv's thread pool cost ~0.1-0.3 ms on a loaded machine, and a run made several (every PATH entry).
import { accessSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Scenario } from '../scenario/model.js';
import { guestFiles } from '../scenario/guest-files.js';
import { ARCH_PROFILES, type ArchProfile } from '../arch/profiles.js';
import { RunError } from './run-error.js';

export const QEMU_BINARY_ENV = 'VITEST_GUEST_QEMU';

/** The QEMU binary to run: VITEST_GUEST_QEMU if set, else the arch's binary found on PATH. */
export async function findQemuBinary(scenario: Scenario): Promise<string> {
  const profile = ARCH_PROFILES[scenario.machine.arch];
  const wanted = process.env[QEMU_BINARY_ENV] || profile.qemuBinary;
  const candidates = wanted.includes('/') ? [wanted] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, wanted));
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new RunError('qemu-missing', `QEMU binary "${wanted}" not found${wanted.includes('/') ? '' : ' on PATH'}.`,
    `Install it: apt-get install --no-install-recommends ${profile.qemuPackage} (or run npm run demo as root).`);
}

export async function checkGuestFiles(scenario: Scenario): Promise<void> {
  const { kernel, initrd } = scenario.guest;
  const where = `${scenario.location.file}:${scenario.location.line}`;
  for (const { key, path } of guestFiles(scenario.guest).filter((file) => file.key.startsWith('guest.firmware'))) {
    if (!(await readHead(path, 1).then((head) => head.length > 0, () => false))) {
      throw new RunError('firmware-missing', `firmware file not found, unreadable or empty: ${path}.`, `Check ${key} in ${where} (paths are relative to the scenario file), or fetch the firmware first.`);
    }
  }
  if (kernel) await checkKernel(kernel, where, ARCH_PROFILES[scenario.machine.arch]);
  if (initrd && !(await readHead(initrd, 1).then(() => true, () => false))) {
    throw new RunError('initrd-missing', `initrd file not found or unreadable: ${initrd}.`, 'Check guest.initrd (relative to the scenario file).');
  }
}

async function checkKernel(kernel: string, where: string, profile: ArchProfile): Promise<void> {
  const header = await readHead(kernel, 0x206).catch(() => {
    throw new RunError('kernel-missing', `kernel file not found or unreadable: ${kernel}.`, `Check guest.kernel in ${where} (paths are relative to the scenario file), or build the guest first.`);
  });
  const kind = kernelKind(header, profile);
  if (kind === 'neither') {
    throw new RunError('kernel-not-image', `${kernel} is not a kernel image: expected an ELF file or a Linux ${profile.linuxImage.name}.`, 'Point guest.kernel at the built kernel (e.g. the reference guest\'s ELF), not at a source or data file.');
  }
  if (kind.other) {
    throw new RunError('kernel-wrong-arch', `${kernel} is a ${kind.other} kernel, and the scenario's machine.arch is ${profile.name}.`, `Point guest.kernel at a ${profile.name} build, or set machine.arch in ${where} to the kernel's architecture.`);
  }
}

/**
 * What a kernel file is, from its first bytes: an ELF (for this architecture or, by e_machine, which other), or
 * the architecture's raw Linux image (its signature at the profile's offset), or neither.
 */
export function kernelKind(head: Uint8Array, profile: ArchProfile): { other?: string } | 'neither' {
  const elf = head.length >= 20 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
  if (elf) {
    const machine = head[18]! | (head[19]! << 8);
    if (profile.elfMachines.includes(machine)) return {};
    const other = Object.values(ARCH_PROFILES).find((p) => p.elfMachines.includes(machine));
    return { other: other ? other.name : `e_machine ${machine}` };
  }
  const { offset, magic } = profile.linuxImage;
  const image = head.length >= offset + magic.length && String.fromCharCode(...head.subarray(offset, offset + magic.length)) === magic;
  return image ? {} : 'neither';
}

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const fd = openSync(file, 'r');
  try {
    const buffer = new Uint8Array(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
