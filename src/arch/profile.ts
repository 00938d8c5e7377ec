// What shared code may know about a guest architecture. Each architecture is one record of this shape
// (src/arch/<arch>/profile.ts): its QEMU binary and devices, how each observation channel attaches, how the
// guest ends a run with a status, its registers and its call convention. Shared code reads these facts and
// never tests an architecture's name.
import type { Emulation } from './emulation.js';

export const ARCHES = ['x86_64', 'aarch64', 'riscv64'] as const;
export type Arch = (typeof ARCHES)[number];

/**
 * How a guest text channel reaches its chardev: the machine's first serial port (`-serial`), a device that
 * takes the chardev (`-device <spec>,chardev=ID`), or semihosting's console (`-semihosting-config
 * ...,chardev=ID`: the guest's SYS_WRITEC/SYS_WRITE0 calls).
 */
export type ChannelAttachment =
  | { kind: 'serial'; where: string }
  | { kind: 'device'; device: string; where: string }
  | { kind: 'semihosting'; where: string };

/** The virtio console's bus device, by machine type (`default` for every other). */
export type VirtioBus = { default: string } & Partial<Record<string, string>>;

/**
 * How a guest ends a run with a status of its choosing. `isa-debug-exit`: QEMU exits with (V << 1) | 1, so an
 * odd status is the guest's. `guest-status`: QEMU exits with the guest's own status (semihosting SYS_EXIT, a
 * test finisher), so any status QEMU itself does not explain is the guest's.
 */
export type StatusExit =
  | { kind: 'isa-debug-exit'; iobase: number; iosize: number }
  | { kind: 'guest-status'; how: string; scenarioKey: 'semihosting' | 'status' };

export interface ArchProfile {
  name: Arch;
  /** What else the architecture is called (Debian's and Linux's names): a scenario writing one is told the name to use. */
  otherNames: readonly string[];
  qemuBinary: string;
  /** The Debian/Ubuntu package that has `qemuBinary`. */
  qemuPackage: string;
  /** Node's `process.arch` of a host whose KVM can run this architecture. */
  kvmHostArch: NodeJS.Architecture;
  machineTypes: readonly string[];
  /** The machine type and memory a scenario gets when it names none. */
  defaults: { type: string; memory: string };
  /**
   * The -cpu model when a scenario names none, by accelerator: under TCG the emulator's fastest full model for
   * today's guests (QEMU's own default often lacks what they use first), under KVM the host's.
   */
  defaultCpu: { tcg: string; kvm: string };
  /**
   * Semihosting on in every run (`-semihosting-config enable=on,target=native`), with the debug channel's
   * chardev when that channel is semihosting's console and is read.
   */
  semihosting: boolean;
  /** Channel attachments; null where the architecture has no such channel (a scenario reading it is refused). */
  channels: {
    console: ChannelAttachment;
    debugcon: ChannelAttachment | null;
    codes: ChannelAttachment | null;
    firmware: ChannelAttachment | null;
    virtio: VirtioBus | null;
  };
  statusExit: StatusExit;
  /** How the guest powers the machine off and resets it (`exit: poweroff`, `exit: reset`), and what QEMU shows of it. */
  power: { off: string; reset: string };
  /** Linux's console device on the machine's first serial port, for messages and docs. */
  linuxConsole: string;
  /** ELF e_machine values of this architecture's kernels. */
  elfMachines: readonly number[];
  /** A raw Linux boot image's signature: bytes at an offset of the file (each architecture's own: its profile names it). */
  linuxImage: { name: string; offset: number; magic: string };
  /** Register names as the GDB stub's target description spells them; scenarios may check these. */
  registers: readonly string[];
  /** What a return-value fault needs: where the result goes and how a function returns. */
  calls: {
    pc: string;
    stackPointer: string;
    returnValue: string;
    returnAddress: { kind: 'stack'; bytes: 8 } | { kind: 'register'; name: string };
  };
  /**
   * Where QEMU's GDB stub reports a watchpoint: `after-access` (the write is done), or `before-access`
   * (the CPU class sets gdb_stop_before_watchpoint: ARM, RISC-V), where a plain continue runs the access again
   * and stops again; the session then steps that instruction with the watchpoints out, as gdb does.
   */
  watchpointStop: 'after-access' | 'before-access';
  /**
   * Leaving a breakpoint by emulating its instruction instead of stepping: the decoder, how many code bytes it
   * needs, and a register bit that means the guest single-steps itself (then the instruction is stepped).
   * Absent: every breakpoint is left by a single step.
   */
  emulation?: {
    decode(code: Uint8Array, pc: bigint): Emulation | undefined;
    codeBytes: number;
    selfStep?: { register: string; mask: bigint };
  };
  /** The guest's own GDB stub (`debugger: { stub: guest }`) on a second serial port; absent: the machine has none. */
  guestStub?: GuestStubFacts;
}

/**
 * What a guest's stub on the machine's second UART (`-serial` after the console's) looks like to the client.
 * KGDB (Linux's kernel/debug/gdbstub.c) serves no target description: its register numbers and sizes are the
 * architecture's fixed layout (arch/<arch>/include/asm/kgdb.h, dbg_reg_def[]).
 */
export interface GuestStubFacts {
  /** The UART the stub reads: how the guest names it (Linux: ttyS1). */
  serial: string;
  /** Register number order and sizes in bits, as `p`/`P` number them. */
  registers: readonly { name: string; bits: number }[];
  /**
   * Bytes past a software breakpoint the pc is reported at, where the breakpoint instruction traps after
   * itself and the stub leaves the adjustment to the debugger (as gdb's decr_pc_after_break does); 0 elsewhere.
   */
  pcAfterBreak: number;
  /**
   * Whether a `P` of the stack pointer takes effect. Where the stub answers OK and drops it, a fault cannot
   * return from a function's entry (mode: skip): only override works there.
   */
  writesStackPointer: boolean;
  /**
   * The interrupt-enable bit, held clear for a single step. QEMU's stub steps with interrupts masked
   * (SSTEP_NOIRQ); KGDB's `s` does not, so an interrupt due at the step ran its handler first and the
   * instruction at the breakpoint only after the breakpoint went back in: one call would count twice.
   */
  interruptsOff: { register: string; mask: bigint };
}
