// The reference guest's aarch64 port (guests/reference/aarch64/) on qemu-system-aarch64 -M virt: the checks every
// port passes are test/e2e/support/reference-suite.ts; here what the runner cannot leave out (semihosting, which
// the aarch64 profile always enables) runs QEMU by hand.
import { describe, test, expect } from 'vitest';
import { execa } from 'execa';
import { describeReferenceGuest } from './support/reference-suite.js';

const { kernel } = describeReferenceGuest({
  arch: 'aarch64',
  statusExit: 'semihosting',
  virtioAt: '0x0a000000',
  emulatedLine: 'emulated: 0x205000',
  crashRegisterLines: ['CRIT: X30: [0-9a-f]{16} SP : [0-9a-f]{16}$', 'CRIT: PC : [0-9a-f]{16} PSTATE: [0-9a-f]{16}$'],
  crashTrap: 'EL1 sync trap: data abort, ESR 0x96000045',
  crashloopRegisterLine: '<traps_arm64.c @  55> X30: [0-9a-f]{16} SP : [0-9a-f]{16}$',
  // Its first marker is the 'Crashing' line: arm64's trap line is no Unikraft marker.
  crashloopKind: 'unikraft-crash',
  cpuStart: 'PSCI CPU_ON',
  cpuNoun: 'CPUs',
  cpuStartErrors: 'CPU_ON',
});

/** QEMU by hand, with the options the runner does not give (or gives always); a guest that halts is stopped after
 * 4 s, ample for one that prints in its first milliseconds. */
function qemuByHand(cmdline: string, extra: string[] = []) {
  return execa('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'max,pauth-impdef=on', '-nodefaults', '-display', 'none',
    '-no-reboot', '-m', '128M', '-serial', 'stdio', ...extra, '-kernel', kernel, '-append', cmdline], { reject: false, timeout: 4_000 });
}

describe('aarch64 reference guest: ends', () => {
  test('without -semihosting-config the hlt #0xf000 traps: debug output is skipped, an exit says nothing answered', async () => {
    const exit = await qemuByHand('print=before e9=x exit=5');
    expect(exit.stdout).toBe('before\nreference: exit device absent');
    expect(exit.timedOut).toBe(true);
    const semihostingExit = await qemuByHand('semihosting-exit=5');
    expect(semihostingExit.stdout).toBe('reference: semihosting exit returned');
    expect(semihostingExit.timedOut).toBe(true);
  });

  test('the same guest with semihosting answered by QEMU exits with the status', async () => {
    const run = await qemuByHand('print=before e9=x exit=5', ['-semihosting-config', 'enable=on,target=native']);
    expect(run.exitCode).toBe(5);
    expect(run.stdout).toBe('before');
  });
});
