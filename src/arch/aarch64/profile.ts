// aarch64: QEMU's virt board. No port I/O: the debug channel is semihosting's console, stage codes go to a
// pci-serial UART, and a status exit is semihosting's SYS_EXIT_EXTENDED (measured facts:
// shared/docs/aarch64-facts.md).
import type { ArchProfile } from '../profile.js';
import { decodeEmulation } from './emulation.js';

const X_REGISTERS = Array.from({ length: 31 }, (_, i) => `x${i}`);

export const AARCH64: ArchProfile = {
  name: 'aarch64',
  otherNames: ['arm64', 'armv8'],
  qemuBinary: 'qemu-system-aarch64',
  qemuPackage: 'qemu-system-arm',
  kvmHostArch: 'arm64',
  machineTypes: ['virt'],
  defaults: { type: 'virt', memory: '128M' },
  // Plain `max` emulates pointer authentication with QARMA, ~3x slower under TCG; the implementation-defined
  // algorithm keeps the feature and the speed.
  defaultCpu: { tcg: 'max,pauth-impdef=on', kvm: 'host' },
  // Semihosting is what exits with a status; without it the guest's `hlt #0xf000` is an undefined instruction.
  semihosting: true,
  channels: {
    console: { kind: 'serial', where: 'the PL011' },
    debugcon: { kind: 'semihosting', where: 'semihosting SYS_WRITEC/SYS_WRITE0' },
    codes: { kind: 'device', device: 'pci-serial', where: 'a pci-serial UART (1b36:0002)' },
    firmware: null,
    virtio: { default: 'virtio-serial-device' },
  },
  statusExit: { kind: 'guest-status', how: 'semihosting SYS_EXIT_EXTENDED', scenarioKey: 'semihosting' },
  power: { off: 'PSCI SYSTEM_OFF (status 0 after SHUTDOWN guest-shutdown)', reset: 'PSCI SYSTEM_RESET (status 0 after SHUTDOWN guest-reset under -no-reboot)' },
  linuxConsole: 'ttyAMA0',
  elfMachines: [183],
  linuxImage: { name: 'arm64 Image', offset: 0x38, magic: 'ARM\x64' },
  registers: [...X_REGISTERS, 'sp', 'pc', 'cpsr'],
  calls: { pc: 'pc', stackPointer: 'sp', returnValue: 'x0', returnAddress: { kind: 'register', name: 'x30' } },
  watchpointStop: 'before-access',
  // One instruction word; see emulation.ts for what is emulated and when. PSTATE.SS (cpsr bit 21, which QEMU's
  // stub shows: measured with a guest stepping itself at EL1) means the guest expects a step exception after the
  // instruction, which emulation would skip.
  emulation: { decode: decodeEmulation, codeBytes: 4, selfStep: { register: 'cpsr', mask: 1n << 21n } },
};
