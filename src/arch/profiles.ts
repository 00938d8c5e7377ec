// Every architecture vitest-guest runs, by the name scenarios give in machine.arch.
import type { Arch, ArchProfile } from './profile.js';
import { X86_64 } from './x86_64/profile.js';
import { AARCH64 } from './aarch64/profile.js';
import { RISCV64 } from './riscv64/profile.js';

export { ARCHES, type Arch, type ArchProfile } from './profile.js';

export const ARCH_PROFILES: Readonly<Record<Arch, ArchProfile>> = { x86_64: X86_64, aarch64: AARCH64, riscv64: RISCV64 };
