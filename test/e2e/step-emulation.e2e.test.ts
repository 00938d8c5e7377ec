// The instructions the debugger client emulates to leave a breakpoint on x86_64, checked against QEMU's own
// single step: the checks are test/e2e/support/step-emulation-suite.ts (aarch64's and riscv64's run in their
// debugger suites).
import { decodeEmulation } from '../../src/arch/x86_64/emulation.js';
import { PLUGIN_ENV } from '../../src/plugin/plugin-probe.js';
import { isolateRuns } from './support/isolated-runs.js';
import { describeStepEmulation } from './support/step-emulation-suite.js';

// Emulation is the GDB stub's: breakpoints that only count would go to the TCG plugin, which never stops the guest.
process.env[PLUGIN_ENV] = 'off';

isolateRuns('emulation');

describeStepEmulation({
  arch: 'x86_64',
  exitZero: '{ debug-exit: 0 }',
  compared: ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'eflags'],
  qemuArgs: ['-device', 'isa-debug-exit,iobase=0xf4,iosize=4'],
  emulatedLabels: [
    'emu_add_eax', 'emu_add_rsp', 'emu_addl_mem', 'emu_call', 'emu_endbr64', 'emu_lock_addq', 'emu_lock_subq', 'emu_mov_rsp_rbp', 'emu_nop1',
    'emu_nop5', 'emu_nopw', 'emu_push_r12', 'emu_push_rbp', 'emu_sub_ecx', 'emu_sub_edx', 'emu_sub_rsp', 'emu_subl_mem',
  ],
  emulatedLine: 'emulated: 0xffffffff80000055',
  notEmulated: ['emu_leaf'],
  decode: decodeEmulation,
});
