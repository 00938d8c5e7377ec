// Breakpoints, watchpoints, faults and the step-off emulation on riscv64 (qemu-system-riscv64 -M virt, OpenSBI),
// on the reference guest's riscv64 port: the checks are test/e2e/support/debugger-suite.ts.
import { decodeEmulation } from '../../src/arch/riscv64/emulation.js';
import { describeDebugger } from './support/debugger-suite.js';

describeDebugger({
  arch: 'riscv64',
  exitZero: '{ status: 0 }',
  compared: [
    'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
    's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
  ],
  qemuArgs: ['-cpu', 'rv64'],
  emulatedLabels: [
    'emu_addi_sp', 'emu_sd_ra', 'emu_sd_s0', 'emu_addi_s0', 'emu_nop', 'emu_c_addi16sp', 'emu_c_addi', 'emu_c_sdsp', 'emu_c_nop', 'emu_c_mv',
    'emu_lui', 'emu_c_lui', 'emu_c_li', 'emu_c_addi4spn', 'emu_auipc',
  ],
  emulatedLine: 'emulated: 0x163455789abcdef',
  decode: decodeEmulation,
});
