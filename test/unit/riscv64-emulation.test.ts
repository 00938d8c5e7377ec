// The RV64 instructions a breakpoint is left by emulation: decoding and effects on cases worked out by hand
// (test/fixtures/riscv64/emulation-cases.json); test/e2e/debugger-riscv64.e2e.test.ts checks them against QEMU.
import { decodeEmulation } from '../../src/arch/riscv64/emulation.js';
import { describeEmulationCases } from './emulation-cases.js';

// A compressed instruction is followed by the first half of C.EBREAK words: it must decode from its own two bytes.
describeEmulationCases('riscv64', decodeEmulation, 4, '0290');
