// The reference guest's riscv64 port (guests/reference/riscv64/) on qemu-system-riscv64 -M virt with OpenSBI, run
// as `machine.arch: riscv64` scenarios: each action's output on its channel (console, semihosting's debug console,
// the pci-serial stage codes, the virtio console) and each way it ends the run, with QEMU's exit status.
import { beforeAll, describe, test, expect } from 'vitest';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { REPO } from './support/host.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

const KERNEL = join(REPO, 'guests/reference/build/riscv64/reference.elf');

isolateRuns('reference-riscv64');

beforeAll(() => {
  try {
    execFileSync('qemu-system-riscv64', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('qemu-system-riscv64 is not installed: apt-get install --no-install-recommends qemu-system-misc (bash scripts/setup.sh does).');
  }
  if (!existsSync(KERNEL)) throw new Error(`${KERNEL} is missing: run \`make -C guests/reference ARCH=riscv64\` (needs gcc-riscv64-linux-gnu).`);
});

/** A riscv64 scenario on the reference guest; `body` holds the keys after guest/machine. */
function riscv64(name: string, cmdline: string, body: string, machine = ''): Promise<RunResult> {
  return runScenario(scenarioFrom(`
name: ${name}
guest: { kernel: ${KERNEL}, cmdline: '${cmdline}' }
machine: { arch: riscv64${machine} }
${body}`));
}

function statuses(result: RunResult): string[] {
  return [...result.verdicts, result.exitVerdict].map((v) => v.status);
}

describe('riscv64 reference guest: channels', () => {
  test('console, debug console (semihosting), stage codes (pci-serial) and a status exit through the finisher', async () => {
    const result = await riscv64('channels', 'print="Hello from guest" e9=dbg code=0x10,0x42 stages=100 exit=3', `
timeout: 20
exit: { status: 3 }
expect:
  - console: Hello from guest
  - debugcon: dbg
  - code: 0x10
  - code: 0x42
  - code: kernel
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'status', status: 3 });
    // OpenSBI's banner comes first on the console (its last line here), then only what the actions print.
    expect(result.recentLines.console.slice(-2)).toEqual([expect.stringMatching(/^Boot HART MEDELEG +: 0x/), 'Hello from guest']);
    expect(result.recentLines.debugcon).toEqual(['dbg']);
    expect(result.receivedBytes.codes).toBe(6);
    // One entry per stage, from its first code: the bootloader's lasts from 0x20 to 0x40, the guest's 100 ms
    // sleep on the time CSR (host-clocked), stamped by the host as the codes arrive.
    expect(result.stages.map((s) => s.stage)).toEqual(['firmware', 'kernel', 'bootloader', 'userspace']);
    const bootloader = result.stages[2]!;
    expect(bootloader.end! - bootloader.start).toBeGreaterThan(80);
    expect(bootloader.end! - bootloader.start).toBeLessThan(400);
  });

  test('floods: exact byte counts on the console, the debug console and the stage codes', async () => {
    const result = await riscv64('floods', 'flood=100000 e9flood=65536 codeflood=4096 print=done exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - console: done
  - debugcon: { regex: '^!"#' }
  - never: { code: 0xff }
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.receivedBytes.debugcon).toBe(65536);
    expect(result.receivedBytes.codes).toBe(4096);
    const banner = result.receivedBytes.console - 100000 - 'done\n'.length;
    // The console holds OpenSBI's banner (about 1.7 KB) besides the flood and `done`.
    expect(banner).toBeGreaterThan(1000);
    expect(banner).toBeLessThan(3000);
  });

  test('vprint and vflood on the virtio console (virtio-mmio, 4 KiB apart)', async () => {
    const result = await riscv64('virtio', 'vprint="tests: 3 passed" vflood=1048576 print=done exit=0', `
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
    const result = await riscv64('no-virtio', 'vprint=x vflood=10 exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: 'reference: no virtio console'
  - console: 'reference: no virtio console transmit queue'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
  });

  test('raw bytes reach the console as they are; x86-only actions are reported as not available, others as unknown', async () => {
    const result = await riscv64('raw', 'raw=6f6bff0a fw=x triplefault rdrand nosuch print=after exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: { regex: '^ok\uFFFD$' }
  - console: "reference: action 'fw' is not available on riscv64"
  - console: "reference: action 'triplefault' is not available on riscv64"
  - console: "reference: action 'rdrand' is not available on riscv64"
  - console: "reference: unknown action 'nosuch'"
  - console: after
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(7).fill('passed'));
  });

  test('echo: console input read back line by line, `exit` ends the run with status 0', async () => {
    const result = await riscv64('echo', 'echo', `
timeout: 20
exit: { status: 0 }
expect:
  - console: 'echo> '
  - send: "hello world\\n"
  - console: 'echo: hello world'
  - send: "exit\\n"
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
  });
});

describe('riscv64 reference guest: ends', () => {
  // Status 0 (the finisher's PASS) reads as a power-off: QEMU exits 0 in the write with no SHUTDOWN event,
  // exactly as SBI SRST's shutdown does (OpenSBI writes PASS to the same finisher).
  test('exit=0: QEMU exits 0, which is all a riscv64 power-off shows too', async () => {
    const result = await riscv64('status-0', 'print=before exit=0 print=after', `
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
    const result = await riscv64(`status-${status}`, `print=before ${cmdline} print=after`, `
timeout: 20
exit: { status: ${status} }
expect:
  - console: before
  - never: after
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'status', status });
  });

  test('reset: SBI SRST reboot, which QEMU reports as a guest reset and (under -no-reboot) exits 0 after', async () => {
    const result = await riscv64('reset', 'print=before reset', `
timeout: 20
exit: reset
expect:
  - console: before
  - never: 'reset unsupported'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'reset' });
  });

  test('poweroff: SBI SRST shutdown; QEMU exits 0 in the finisher write, with no SHUTDOWN event', async () => {
    const result = await riscv64('poweroff', 'print=before poweroff', `
timeout: 20
exit: poweroff
expect:
  - console: before
  - never: 'poweroff unsupported'
`);
    expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'poweroff' });
  });

  test('semihosting calls without -semihosting-config: the ebreak traps and the guest says so', async () => {
    // No debugcon read and no semihosting exit: the profile still enables semihosting on riscv64, so this
    // runs QEMU by hand to leave it out.
    const run = await execa('qemu-system-riscv64', ['-M', 'virt', '-nodefaults', '-display', 'none', '-no-reboot', '-m', '128M',
      '-serial', 'stdio', '-kernel', KERNEL, '-append', 'print=before e9=x print=after'], { reject: false, timeout: 10_000 });
    expect(run.stdout).toMatch(/\nbefore\nreference: unexpected trap: scause 0x3 sepc 0x[0-9a-f]+ stval 0x0$/);
    expect(run.stdout).not.toContain('after');
    expect(run.timedOut).toBe(true);
  });
});

describe('riscv64 reference guest: test output, hooks and crashes', () => {
  test('uktest, KTAP, check, loop and emulated print what they print on x86_64', async () => {
    const result = await riscv64('results', 'uktest=fail ktap=pass check loop=1000 emulated exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - uktest: ref_io_testsuite->test_read
    status: failed
  - ktap: ref_io->io_write_test
  - console: 'guest_check_value() returned 0'
  - console: 'loop done: 1000 calls'
  - console: 'emulated: 0x163455789abcdef'
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(6).fill('passed'));
    expect(result.cases.filter((c) => c.status === 'failed').map((c) => `${c.suite}->${c.case}`)).toEqual(['ref_io_testsuite->test_read']);
  });

  test('uktest=crash: a Unikraft crash screen with riscv64 registers, found as a crash', async () => {
    const result = await riscv64('uktest-crash', 'uktest=crash', `
timeout: 20
crash: { expected: unikraft-crash }
end: [ { console: Unikraft halted } ]
exit: any
expect:
  - console: { regex: 'CRIT: PC: [0-9a-f]{16} RA: [0-9a-f]{16} SP: [0-9a-f]{16}$' }
`);
    expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
    expect(result.crashes[0]?.lines.join('\n')).toMatch(/Unhandled Trap 15 \(store\/AMO page fault\)[\s\S]*Unikraft halted/);
  });

  test('panic: the Linux panic text, found as a crash', async () => {
    const result = await riscv64('panic', 'panic="Attempted to kill init!"', `
timeout: 20
crash: { expected: linux-panic }
`);
    expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
  });

  test.each(['hang', 'spin'])('%s: nothing more is printed and QEMU runs on until the quiet end stops it', async (action) => {
    const result = await riscv64(action, `print=before ${action} print=after`, `
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

describe('riscv64 reference guest: CPUs', () => {
  test.each([1, 4])('cpus and smp=N through SBI HSM on %i harts, twice in a row', async (cpus) => {
    const result = await riscv64(`smp-${cpus}`, 'cpus smp=1000 smp=10 exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - console: 'cpus: ${cpus}'
  - console: 'smp: ${cpus} cpus, 1000 calls each'
  - console: 'smp: ${cpus} cpus, 10 calls each'
  - never: { regex: 'did not start|hart_start error|grew by' }
`, `, cpus: ${cpus}`);
    expect(statuses(result), result.finish.cause).toEqual(Array(5).fill('passed'));
  });
});

describe('riscv64 reference guest: what the debugger attaches to', () => {
  test.each(['skip', 'override'])('a %s fault on guest_check_value returns -5 in a0, and the guest takes its error path', async (mode) => {
    const result = await riscv64(`fault-${mode}`, 'check exit=0', `
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
    const result = await riscv64('hooks', 'smp=25 loop=50 exit=0', `
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
    const result = await riscv64('emulated', 'emulated exit=0', `
timeout: 30
exit: { status: 0 }
expect:
${labels.map((label) => `  - { breakpoint: ${label}, count: 1 }`).join('\n')}
  - console: 'emulated: 0x163455789abcdef'
`);
    expect(statuses(result), result.finish.cause).toEqual(Array(labels.length + 2).fill('passed'));
  });
});
