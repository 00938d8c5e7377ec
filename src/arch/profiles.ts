// Per-architecture facts as data (QEMU devices, registers, call convention), so a new architecture is
// a record here, not new code paths elsewhere.

export interface ArchProfile {
  qemuBinary: string;
  machineTypes: readonly string[];
  /** I/O ports the observation channels attach to (isa-debugcon). */
  ports: { debugcon: number; port80: number; firmware: number };
  /**
   * The -cpu model when a scenario names none, by accelerator: under TCG the emulator's fullest model
   * (QEMU's own default, qemu64 on x86_64, lacks what guests built for today's CPUs use first: RDRAND,
   * 1 GiB pages...); under KVM the host's.
   */
  defaultCpu: { tcg: string; kvm: string };
  /** Machine types whose firmware prints to the firmware port (SeaBIOS on pc/q35; qboot on microvm prints nothing). */
  firmwareLogOn: readonly string[];
  /** Register names as the GDB stub's target description spells them; scenarios may check these. */
  registers: readonly string[];
  /** What a return-value fault needs: where the result goes and how a function returns. */
  calls: {
    pc: string;
    stackPointer: string;
    returnValue: string;
    /** x86_64 keeps the return address on the stack; aarch64 will keep it in a register (lr). */
    returnAddress: { kind: 'stack'; bytes: 8 } | { kind: 'register'; name: string };
  };
}

export const ARCH_PROFILES: Readonly<Record<'x86_64', ArchProfile>> = {
  x86_64: {
    qemuBinary: 'qemu-system-x86_64',
    machineTypes: ['pc', 'q35', 'microvm'],
    defaultCpu: { tcg: 'max', kvm: 'host' },
    ports: { debugcon: 0xe9, port80: 0x80, firmware: 0x402 },
    firmwareLogOn: ['pc', 'q35'],
    registers: [
      'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
      'rip', 'eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'fs_base', 'gs_base', 'k_gs_base', 'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer',
    ],
    calls: { pc: 'rip', stackPointer: 'rsp', returnValue: 'rax', returnAddress: { kind: 'stack', bytes: 8 } },
  },
};
