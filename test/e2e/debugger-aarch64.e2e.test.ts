// Breakpoints, watchpoints, faults and the step-off emulation on aarch64 (qemu-system-aarch64 -M virt), on the
// reference guest's aarch64 port: the checks are test/e2e/support/debugger-suite.ts.
import { decodeEmulation } from '../../src/arch/aarch64/emulation.js';
import { describeDebugger } from './support/debugger-suite.js';

describeDebugger({
  arch: 'aarch64',
  exitZero: '{ status: 0 }',
  compared: [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'cpsr'],
  // The scenarios' default CPU (src/arch/aarch64/profile.ts): pointer authentication and BTI are implemented.
  qemuArgs: ['-cpu', 'max,pauth-impdef=on', '-semihosting-config', 'enable=on,target=native'],
  emulatedLabels: ['emu_paciasp', 'emu_bti_c', 'emu_nop', 'emu_stp_pre', 'emu_mov_x29_sp', 'emu_sub_sp', 'emu_movz', 'emu_adrp', 'emu_adr'],
  emulatedLine: 'emulated: 0x205000',
  decode: decodeEmulation,
});
