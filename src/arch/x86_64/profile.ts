// x86_64: PC machines, port I/O channels (isa-debugcon), isa-debug-exit, registers as QEMU's i386-64bit.xml names them.
import type { ArchProfile } from '../profile.js';
import { decodeEmulation } from './emulation.js';

export const X86_64: ArchProfile = {
  name: 'x86_64',
  otherNames: ['amd64', 'x86-64', 'x64'],
  qemuBinary: 'qemu-system-x86_64',
  qemuPackage: 'qemu-system-x86',
  kvmHostArch: 'x64',
  machineTypes: ['pc', 'q35', 'microvm'],
  defaults: { type: 'pc', memory: '128M' },
  // QEMU's own default, qemu64, lacks what guests built for today's CPUs use first: RDRAND, 1 GiB pages...
  defaultCpu: { tcg: 'max', kvm: 'host' },
  semihosting: false,
  channels: {
    console: { kind: 'serial', where: 'the 16550 COM1' },
    debugcon: { kind: 'device', device: 'isa-debugcon,iobase=0xe9', where: 'I/O port 0xe9' },
    codes: { kind: 'device', device: 'isa-debugcon,iobase=0x80', where: 'I/O port 0x80' },
    firmware: { kind: 'device', device: 'isa-debugcon,iobase=0x402', where: 'I/O port 0x402' },
    // microvm has no PCI bus by default: its virtio devices sit on virtio-mmio transports.
    virtio: { default: 'virtio-serial-pci', microvm: 'virtio-serial-device' },
  },
  statusExit: { kind: 'isa-debug-exit', iobase: 0xf4, iosize: 4 },
  power: { off: 'ACPI S5 (status 0 after SHUTDOWN guest-shutdown)', reset: 'a reset or a triple fault (status 0 after SHUTDOWN guest-reset under -no-reboot)' },
  linuxConsole: 'ttyS0',
  // EM_X86_64, and EM_386 for multiboot kernels: QEMU's multiboot loader takes only ELF32, entered in 32-bit mode.
  elfMachines: [62, 3],
  linuxImage: { name: 'bzImage', offset: 0x202, magic: 'HdrS' },
  registers: [
    'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
    'rip', 'eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'fs_base', 'gs_base', 'k_gs_base', 'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer',
  ],
  calls: { pc: 'rip', stackPointer: 'rsp', returnValue: 'rax', returnAddress: { kind: 'stack', bytes: 8 } },
  watchpointStop: 'after-access',
  // Enough bytes for any x86 instruction (15 at most); the trap flag means the guest expects a #DB after the
  // instruction, which emulation would skip.
  emulation: { decode: decodeEmulation, codeBytes: 16, selfStep: { register: 'eflags', mask: 1n << 8n } },
  // pc and q35 have four ISA 16550s: the console is COM1 (ttyS0), the stub's port COM2 (ttyS1). KGDB reports
  // a breakpoint stop one byte after the int3 (GDB_ADJUSTS_BREAK_OFFSET) and ignores a P of rsp (dbg_set_reg
  // drops GDB_SP, answering OK).
  guestStub: {
    serial: 'ttyS1',
    registers: [
      ...['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip'].map((name) => ({ name, bits: 64 })),
      ...['eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs'].map((name) => ({ name, bits: 32 })),
    ],
    pcAfterBreak: 1,
    writesStackPointer: false,
    interruptsOff: { register: 'eflags', mask: 1n << 9n },
  },
};
