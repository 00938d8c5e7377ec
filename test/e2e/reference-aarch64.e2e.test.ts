// The reference guest's aarch64 port (guests/reference/aarch64/) on qemu-system-aarch64 -M virt, run as
// `machine.arch: aarch64` scenarios: each action's output on its channel (the PL011 console, semihosting's debug
// console, the pci-serial stage codes, the virtio console) and each way it ends the run, with QEMU's exit status.
// What the runner cannot leave out (semihosting, which the aarch64 profile always enables) runs QEMU by hand.
import { beforeAll, describe, test, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { REPO } from './support/host.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

const KERNEL = join(REPO, 'guests/reference/build/aarch64/reference.elf');

isolateRuns('reference-aarch64');

beforeAll(() => {
  try {
    execFileSync('qemu-system-aarch64', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('qemu-system-aarch64 is not installed: apt-get install --no-install-recommends qemu-system-arm (bash scripts/setup.sh does).');
  }
  if (!existsSync(KERNEL)) throw new Error(`${KERNEL} is missing: run \`make -C guests/reference ARCH=aarch64\` (needs gcc-aarch64-linux-gnu).`);
});

/** An aarch64 scenario on the reference guest; `body` holds the keys after guest/machine. */
function aarch64(name: string, cmdline: string, body: string, machine = ''): Promise<RunResult> {
  return runScenario(scenarioFrom(`
name: ${name}
guest: { kernel: ${KERNEL}, cmdline: '${cmdline}' }
machine: { arch: aarch64${machine} }
${body}`));
}

function statuses(result: RunResult): string[] {
  return [...result.verdicts, result.exitVerdict].map((v) => v.status);
}

/** QEMU by hand, with the options the runner does not give (or gives always); a guest that halts is stopped after
 * 4 s, ample for one that prints in its first milliseconds. */
function qemuByHand(cmdline: string, extra: string[] = []) {
  return execa('qemu-system-aarch64', ['-M', 'virt', '-cpu', 'max,pauth-impdef=on', '-nodefaults', '-display', 'none',
    '-no-reboot', '-m', '128M', '-serial', 'stdio', ...extra, '-kernel', KERNEL, '-append', cmdline], { reject: false, timeout: 4_000 });
}

describe('aarch64 reference guest: channels', () => {
  test('console, debug console (semihosting), stage codes (pci-serial) and a status exit through semihosting', async () => {
    const result = await aarch64('channels', 'print="Hello from guest" e9=dbg code=0x10,0x42 stages=100 exit=3', `
timeout: 20
exit: { status: 3 }
expect:
  - console: Hello from guest
  - debugcon: dbg
  - code: 0x10
  - code: 0x42
  - code: kernel
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(6).fill('passed'));
    expect(result.exit).toEqual({ kind: 'status', status: 3 });
    // No firmware runs before an ELF -kernel on virt: the console holds only what the actions print.
    expect(result.recentLines.console).toEqual(['Hello from guest']);
    expect(result.recentLines.debugcon).toEqual(['dbg']);
    expect(result.receivedBytes.codes).toBe(6);
    // One entry per stage, from its first code (0x10 opened firmware, 0x42 kernel): the bootloader's lasts
    // from 0x20 to 0x40, the guest's 100 ms sleep on the generic timer, stamped by the host as codes arrive.
    expect(result.stages.map((s) => s.stage)).toEqual(['firmware', 'kernel', 'bootloader', 'userspace']);
    const bootloader = result.stages[2]!;
    expect(bootloader.end! - bootloader.start).toBeGreaterThan(80);
    expect(bootloader.end! - bootloader.start).toBeLessThan(400);
  });

  test('floods: exact byte counts on the console, the debug console and the stage codes', async () => {
    const result = await aarch64('floods', 'flood=100000 e9flood=65536 codeflood=4096 print=done exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - console: done
  - debugcon: { regex: '^!"#' }
  - never: { code: 0xff }
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.receivedBytes.console).toBe(100000 + 'done\n'.length);
    expect(result.receivedBytes.debugcon).toBe(65536);
    expect(result.receivedBytes.codes).toBe(4096);
  });

  test('raw bytes reach the console as they are, and the run goes on', async () => {
    const result = await aarch64('raw', 'raw=ff001b5b316d0a print=after exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: after
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed']);
    expect(result.receivedBytes.console).toBe(7 + 'after\n'.length);
  });

  test('vprint and vflood on the virtio console (virtio-mmio at 0x0a000000)', async () => {
    const result = await aarch64('virtio', 'vprint="tests: 3 passed" vflood=1048576 print=done exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - virtio: 'tests: 3 passed'
  - console: done
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.receivedBytes.virtio).toBe('tests: 3 passed\n'.length + 1048576);
  });

  test('without a virtio console, vprint says so on the console', async () => {
    const result = await aarch64('no-virtio', 'vprint=x vflood=10 exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: 'reference: no virtio console'
  - console: 'reference: no virtio console transmit queue'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
  });

  test('echo: console input read back line by line, Ctrl-C drops a line, `exit` ends the run with status 0', async () => {
    const result = await aarch64('echo', 'echo', `
timeout: 20
exit: { status: 0 }
expect:
  - console: 'echo> '
  - send: "hello world\\n"
  - console: 'echo: hello world'
  - send: "dropped\\x03"
  - console: '^C'
  - send: "exit\\n"
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(7).fill('passed'));
    expect(result.recentLines.console).not.toContain('echo: dropped');
  });

  test('actions of other architectures are reported as not available, unknown ones as unknown', async () => {
    const result = await aarch64('not-available', 'fw=x triplefault rdrand nosuch print=after exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: "reference: action 'fw' is not available on aarch64"
  - console: "reference: action 'triplefault' is not available on aarch64"
  - console: "reference: action 'rdrand' is not available on aarch64"
  - console: "reference: unknown action 'nosuch'"
  - console: after
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(6).fill('passed'));
  });
});

describe('aarch64 reference guest: ends', () => {
  // Semihosting's exit with status 0 leaves QEMU with status 0 and no SHUTDOWN event, which is all a power-off
  // shows under -no-reboot as well: the runner reads it as one.
  test('exit=0: QEMU exits 0, read as a power-off', async () => {
    const result = await aarch64('status-0', 'print=before exit=0 print=after', `
timeout: 20
exit: { status: 0 }
expect:
  - console: before
  - never: after
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'poweroff' });
  });

  test.each([
    ['exit=1', 1],
    ['exit=255', 255],
    ['semihosting-exit=7', 7],
  ])('%s: QEMU exits with the status the guest chose', async (cmdline, status) => {
    const result = await aarch64(`status-${status}`, `print=before ${cmdline} print=after`, `
timeout: 20
exit: { status: ${status} }
expect:
  - console: before
  - never: after
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'status', status });
  });

  test('poweroff: PSCI SYSTEM_OFF', async () => {
    const result = await aarch64('poweroff', 'print=before poweroff', `
timeout: 20
exit: poweroff
expect:
  - console: before
  - never: 'poweroff unsupported'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit?.kind).toBe('poweroff');
  });

  test('reset: PSCI SYSTEM_RESET, which QEMU reports as a guest reset and (under -no-reboot) exits 0 after', async () => {
    const result = await aarch64('reset', 'print=before reset', `
timeout: 20
exit: reset
expect:
  - console: before
  - never: 'reset unsupported'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'reset' });
  });

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

describe('aarch64 reference guest: test output, hooks and crashes', () => {
  test('uktest, KTAP, check, loop and emulated print what they print on x86_64 (emulated: the arm64 checksum)', async () => {
    const result = await aarch64('results', 'uktest=fail ktap=pass check loop=1000 emulated exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - uktest: ref_io_testsuite->test_read
    status: failed
  - ktap: ref_io->io_write_test
  - console: 'guest_check_value() returned 0'
  - console: 'loop done: 1000 calls'
  - console: 'emulated: 0x205000'
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(6).fill('passed'));
    expect(result.cases.filter((c) => c.status === 'failed').map((c) => `${c.suite}->${c.case}`)).toEqual(['ref_io_testsuite->test_read']);
  });

  test('uktest=crash: a Unikraft crash screen with arm64 registers, found as a crash', async () => {
    const result = await aarch64('uktest-crash', 'uktest=crash', `
timeout: 20
crash: { expected: unikraft-crash }
end: [ { console: Unikraft halted } ]
exit: any
expect:
  - console: { regex: 'CRIT: X30: [0-9a-f]{16} SP : [0-9a-f]{16}$' }
  - console: { regex: 'CRIT: PC : [0-9a-f]{16} PSTATE: [0-9a-f]{16}$' }
`);
    expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
    expect(result.crashes[0]?.lines.join('\n')).toMatch(/unikraft_crash_screen\+0x[0-9a-f]+[\s\S]*act_uktest\+0x[0-9a-f]+[\s\S]*Unikraft halted/);
  });

  test('crashloop: the trap dump with arm64 registers, found as a crash at its first Crashing', async () => {
    const result = await aarch64('crashloop', 'crashloop', `
timeout: 20
crash: { expected: unikraft-crash }
end: [ { console: Crashing } ]
exit: any
expect:
  - console: { regex: '<traps_arm64.c @  55> X30: [0-9a-f]{16} SP : [0-9a-f]{16}$' }
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed']);
    expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
    expect(result.crashes[0]?.lines.join('\n')).toContain('<traps.c @ 113> Crashing');
  });

  test('panic: the Linux panic text, found as a crash', async () => {
    const result = await aarch64('panic', 'panic="Attempted to kill init!"', `
timeout: 20
crash: { expected: linux-panic }
`);
    expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
  });

  test.each(['hang', 'spin'])('%s: nothing more is printed and QEMU runs on until the quiet end stops it', async (action) => {
    const result = await aarch64(action, `print=before ${action} print=after`, `
timeout: 20
end: [ { quiet: 2 } ]
exit: any
expect:
  - console: before
  - never: after
`);
    expect(result.finish.reason, result.finish.cause).toBe('guest-end');
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed']);
  });
});

describe('aarch64 reference guest: CPUs', () => {
  test.each([1, 4])('cpus and smp=N through PSCI CPU_ON on %i CPUs, twice in a row', async (cpus) => {
    const result = await aarch64(`smp-${cpus}`, 'cpus smp=1000 smp=10 exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - console: 'cpus: ${cpus}'
  - console: 'smp: ${cpus} cpus, 1000 calls each'
  - console: 'smp: ${cpus} cpus, 10 calls each'
  - never: { regex: 'did not start|CPU_ON|grew by' }
`, `, cpus: ${cpus}`);
    expect(statuses(result), result.finish.cause).toEqual(Array(5).fill('passed'));
  });
});
