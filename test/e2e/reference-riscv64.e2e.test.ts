// The reference guest's riscv64 port (guests/reference/riscv64/) on qemu-system-riscv64 -M virt with OpenSBI: the
// checks every port passes are test/e2e/support/reference-suite.ts; here semihosting left out, which only QEMU run
// by hand can do, and what the debugger attaches to.
import { describe, test, expect } from 'vitest';
import { execa } from 'execa';
import { describeReferenceGuest, statuses } from './support/reference-suite.js';

const { kernel, run } = describeReferenceGuest({
  arch: 'riscv64',
  statusExit: 'the finisher',
  virtioAt: '0x10001000, 4 KiB apart',
  // OpenSBI's banner, about 1.7 KB.
  firmwareBanner: { lastLine: /^Boot HART MEDELEG +: 0x/, minBytes: 1000, maxBytes: 3000 },
  emulatedLine: 'emulated: 0x163455789abcdef',
  crashRegisterLines: ['CRIT: PC: [0-9a-f]{16} RA: [0-9a-f]{16} SP: [0-9a-f]{16}$'],
  crashTrap: 'Unhandled Trap 15 (store/AMO page fault)',
  crashloopRegisterLine: '<trace.c @   41> PC: [0-9a-f]{16} RA: [0-9a-f]{16}$',
  crashloopKind: 'unhandled-trap',
  cpuStart: 'SBI HSM',
  cpuNoun: 'harts',
  cpuStartErrors: 'hart_start error',
});

describe('riscv64 reference guest: ends', () => {
  test('semihosting calls without -semihosting-config: the ebreak traps and the guest says so', async () => {
    // No debugcon read and no semihosting exit: the profile still enables semihosting on riscv64, so this
    // runs QEMU by hand to leave it out.
    const qemu = await execa('qemu-system-riscv64', ['-M', 'virt', '-nodefaults', '-display', 'none', '-no-reboot', '-m', '128M',
      '-serial', 'stdio', '-kernel', kernel, '-append', 'print=before e9=x print=after'], { reject: false, timeout: 10_000 });
    expect(qemu.stdout).toMatch(/\nbefore\nreference: unexpected trap: scause 0x3 sepc 0x[0-9a-f]+ stval 0x0$/);
    expect(qemu.stdout).not.toContain('after');
    expect(qemu.timedOut).toBe(true);
  });
});

describe('riscv64 reference guest: what the debugger attaches to', () => {
  test.each(['skip', 'override'])('a %s fault on guest_check_value returns -5 in a0, and the guest takes its error path', async (mode) => {
    const result = await run(`fault-${mode}`, 'check exit=0', `
timeout: 30
exit: { status: 0 }
faults:
  - function: guest_check_value
    return: -5
    mode: ${mode}
expect:
  - console: 'guest_check_value() returned -5'
  - console: 'error path: recovering from -5'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
  });

  test('guest_loop_target is a real call on every hart, and the $-named loop hooks are hit once each', async () => {
    const result = await run('hooks', 'smp=25 loop=50 exit=0', `
timeout: 60
exit: { status: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 150
  - { breakpoint: guest_loop_target, vcpu: 3, count: 25 }
  - breakpoint: 'REFERENCE_$$_LOOP*'
    count: 2
`, ', cpus: 4');
    expect(statuses(result), result.finish.cause).toEqual(Array(4).fill('passed'));
  });

  test('breakpoints on each emu_* instruction, stepped off by the debugger, leave the same checksum', async () => {
    const labels = ['emu_addi_sp', 'emu_sd_ra', 'emu_sd_s0', 'emu_addi_s0', 'emu_nop', 'emu_c_addi16sp', 'emu_c_addi', 'emu_c_sdsp', 'emu_c_nop', 'emu_c_mv'];
    const result = await run('emulated', 'emulated exit=0', `
timeout: 30
exit: { status: 0 }
expect:
${labels.map((label) => `  - { breakpoint: ${label}, count: 1 }`).join('\n')}
  - console: 'emulated: 0x163455789abcdef'
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(labels.length + 2).fill('passed'));
  });
});
