// The AArch64 instructions a breakpoint is left by emulation: decoding and effects on cases worked out by hand
// (test/fixtures/aarch64/emulation-cases.json); test/e2e/debugger-aarch64.e2e.test.ts checks them against QEMU.
import { decodeEmulation } from '../../src/arch/aarch64/emulation.js';
import { describeEmulationCases } from './emulation-cases.js';

// Padded with BRK #0 words: a decoder reading past its 4 bytes would see them.
describeEmulationCases('aarch64', decodeEmulation, 4, '000020d4');
