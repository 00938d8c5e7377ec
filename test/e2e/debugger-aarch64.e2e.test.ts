// Breakpoints, watchpoints, faults and the step-off emulation on aarch64 (qemu-system-aarch64 -M virt), on the
// reference guest's aarch64 port: the checks are test/e2e/support/debugger-suite.ts.
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { decodeEmulation } from '../../src/arch/aarch64/emulation.js';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { describeDebugger } from './support/debugger-suite.js';
import { scenarioFrom } from './support/scenario.js';
import { REPO } from './support/host.js';

const KERNEL = join(REPO, 'guests/reference/build/aarch64/reference.elf');

describeDebugger({
  arch: 'aarch64',
  exitZero: '{ status: 0 }',
  compared: [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'cpsr'],
  // The scenarios' default CPU (src/arch/aarch64/profile.ts): pointer authentication and BTI are implemented.
  qemuArgs: ['-cpu', 'max,pauth-impdef=on', '-semihosting-config', 'enable=on,target=native'],
  emulatedLabels: [
    'emu_paciasp', 'emu_bti_c', 'emu_nop', 'emu_stp_pre', 'emu_mov_x29_sp', 'emu_sub_sp', 'emu_movz', 'emu_adrp', 'emu_adr', 'emu_bti_c_blr',
    'emu_stp_offset', 'emu_str_pre', 'emu_str_offset', 'emu_add_x29_sp', 'emu_mov_x9_x10', 'emu_add_w9', 'emu_stp_post',
  ],
  emulatedLine: 'emulated: 0x205000',
  // QEMU's stub shows PSTATE.BTYPE in cpsr: 10 after the blr that reaches this bti c.
  stateAt: { emu_bti_c_blr: { register: 'cpsr', mask: 0xc00n, equals: 0x800n } },
  decode: decodeEmulation,
});

describe('aarch64 guest stepping itself', () => {
  // The guest's own step (MDSCR_EL1.SS, PSTATE.SS) is taken after guest_self_stepped's first instruction, a nop
  // the client could emulate: with PSTATE.SS set it steps it instead, or the exception would come one later.
  test('a breakpoint on the instruction it steps leaves its step exception where it was', async () => {
    const run = (expect: string) => runScenario(scenarioFrom(`
name: selfstep
machine: { arch: aarch64 }
guest: { kernel: ${KERNEL}, cmdline: 'selfstep exit=0' }
timeout: 30
exit: { status: 0 }
expect:
  - console: { regex: '^selfstep: ' }
${expect}`));
    const stepAt = (result: RunResult) => result.recentLines.console.find((l) => l.startsWith('selfstep: '));
    expect(stepAt(await run(''))).toBe('selfstep: step exception at guest_self_stepped+0x4');
    const watched = await run('  - breakpoint: guest_self_stepped\n    count: 1');
    expect(stepAt(watched)).toBe('selfstep: step exception at guest_self_stepped+0x4');
    expect([...watched.verdicts, watched.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
  });
});
