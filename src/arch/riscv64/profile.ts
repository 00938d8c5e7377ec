// riscv64: QEMU's virt board with OpenSBI as its firmware. The debug channel is semihosting's console, stage
// codes go to a pci-serial UART, and a status exit is the sifive_test finisher (or semihosting SYS_EXIT).
import type { ArchProfile } from '../profile.js';
import { decodeEmulation } from './emulation.js';

export const RISCV64: ArchProfile = {
  name: 'riscv64',
  otherNames: ['riscv', 'rv64'],
  qemuBinary: 'qemu-system-riscv64',
  qemuPackage: 'qemu-system-misc',
  kvmHostArch: 'riscv64',
  machineTypes: ['virt'],
  defaults: { type: 'virt', memory: '128M' },
  // QEMU 7.2 has no riscv64 `max`; rv64 is its default, with the extensions Linux and OpenSBI use.
  defaultCpu: { tcg: 'rv64', kvm: 'host' },
  semihosting: true,
  channels: {
    console: { kind: 'serial', where: 'the ns16550a' },
    debugcon: { kind: 'semihosting', where: 'semihosting SYS_WRITEC/SYS_WRITE0' },
    codes: { kind: 'device', device: 'pci-serial', where: 'a pci-serial UART (1b36:0002)' },
    firmware: null,
    virtio: { default: 'virtio-serial-device' },
  },
  statusExit: { kind: 'guest-status', how: 'the sifive_test finisher at 0x100000 or semihosting SYS_EXIT', scenarioKey: 'status' },
  // OpenSBI powers off through the test finisher, whose write makes QEMU exit at once: no SHUTDOWN event.
  power: { off: 'SBI SRST shutdown (status 0 and no SHUTDOWN event, as a finisher pass)', reset: 'SBI SRST reboot (status 0 after SHUTDOWN guest-reset under -no-reboot)' },
  linuxConsole: 'ttyS0',
  elfMachines: [243],
  linuxImage: { name: 'RISC-V Image', offset: 0x38, magic: 'RSC\x05' },
  registers: [
    'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1',
    'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
    's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6', 'pc',
  ],
  calls: { pc: 'pc', stackPointer: 'sp', returnValue: 'a0', returnAddress: { kind: 'register', name: 'ra' } },
  watchpointStop: 'before-access',
  // A full instruction or a compressed one and what follows it; a guest cannot single-step itself.
  emulation: { decode: decodeEmulation, codeBytes: 4 },
};
