// Per-architecture QEMU facts as data, so a new architecture is a record, not new code paths.

export interface ArchProfile {
  qemuBinary: string;
  machineTypes: readonly string[];
  /** I/O ports the observation channels attach to (isa-debugcon). */
  ports: { debugcon: number; port80: number; firmware: number };
  /** Machine types whose firmware prints to the firmware port (SeaBIOS on pc/q35; qboot on microvm prints nothing). */
  firmwareLogOn: readonly string[];
}

export const ARCH_PROFILES: Readonly<Record<'x86_64', ArchProfile>> = {
  x86_64: {
    qemuBinary: 'qemu-system-x86_64',
    machineTypes: ['pc', 'q35', 'microvm'],
    ports: { debugcon: 0xe9, port80: 0x80, firmware: 0x402 },
    firmwareLogOn: ['pc', 'q35'],
  },
};
