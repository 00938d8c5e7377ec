// The reference guest's port to an architecture other than x86_64 (guests/reference/<arch>/) on its QEMU's
// -M virt, run as `machine.arch: <arch>` scenarios: each action's output on its channel (the console, semihosting's
// debug console, the pci-serial stage codes, the virtio console) and each way it ends the run, with QEMU's exit
// status. Each architecture's test file (reference-<arch>.e2e.test.ts) gives its data and adds what only it has.
import { beforeAll, describe, test, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ARCH_PROFILES, type Arch } from '../../../src/arch/profiles.js';
import { runScenario, type RunResult } from '../../../src/runner/run-scenario.js';
import { PLUGIN_ENV } from '../../../src/plugin/plugin-probe.js';
import type { CrashKind } from '../../../src/results/guest-crash.js';
import { isolateRuns } from './isolated-runs.js';
import { scenarioFrom } from './scenario.js';
import { REPO } from './host.js';

export interface ReferenceArch {
  arch: Exclude<Arch, 'x86_64'>;
  /** How the guest's exit=V reaches QEMU, and where its virtio-mmio console is, for the tests' names. */
  statusExit: string;
  virtioAt: string;
  /** What firmware prints on the console before the guest (OpenSBI's banner): its last line and its size. */
  firmwareBanner?: { lastLine: RegExp; minBytes: number; maxBytes: number };
  /** The line the `emulated` action prints (the architecture's checksum). */
  emulatedLine: string;
  /** Regexes for the crash screen's register lines, and its trap line. */
  crashRegisterLines: readonly string[];
  crashTrap: string;
  /** A regex for a register line of crashloop's trap dump, and the crash its first lines are found as. */
  crashloopRegisterLine: string;
  crashloopKind: CrashKind;
  /** How the guest starts CPUs (for the test's name), what it calls them, and a regex for the start errors it prints. */
  cpuStart: string;
  cpuNoun: string;
  cpuStartErrors: string;
}

export interface ReferenceRuns {
  kernel: string;
  /** A scenario on the reference guest; `body` holds the keys after guest/machine. */
  run(name: string, cmdline: string, body: string, machine?: string): Promise<RunResult>;
}

export function statuses(result: RunResult): string[] {
  return [...result.verdicts, result.exitVerdict].map((v) => v.status);
}

export function describeReferenceGuest(spec: ReferenceArch): ReferenceRuns {
  const profile = ARCH_PROFILES[spec.arch];
  const kernel = join(REPO, `guests/reference/build/${spec.arch}/reference.elf`);
  const banner = spec.firmwareBanner;

  // Breakpoints here are to stop through QEMU's GDB stub: ones that only count would go to the TCG plugin.
  process.env[PLUGIN_ENV] = 'off';
  isolateRuns(`reference-${spec.arch}`);
  beforeAll(() => {
    try {
      execFileSync(profile.qemuBinary, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${profile.qemuBinary} is not installed: apt-get install --no-install-recommends ${profile.qemuPackage} (bash scripts/setup.sh does).`);
    }
    if (!existsSync(kernel)) throw new Error(`${kernel} is missing: run \`make -C guests/reference ARCH=${spec.arch}\` (needs gcc-${spec.arch}-linux-gnu).`);
  });

  const run = (name: string, cmdline: string, body: string, machine = ''): Promise<RunResult> => runScenario(scenarioFrom(`
name: ${name}
guest: { kernel: ${kernel}, cmdline: '${cmdline}' }
machine: { arch: ${spec.arch}${machine} }
${body}`));

  /** The console's bytes are the guest's `expected` and, after firmware, its banner. */
  function expectConsoleBytes(result: RunResult, expected: number): void {
    if (!banner) {
      expect(result.receivedBytes.console).toBe(expected);
      return;
    }
    expect(result.receivedBytes.console - expected).toBeGreaterThan(banner.minBytes);
    expect(result.receivedBytes.console - expected).toBeLessThan(banner.maxBytes);
  }

  describe(`${spec.arch} reference guest: channels`, () => {
    test(`console, debug console (semihosting), stage codes (pci-serial) and a status exit through ${spec.statusExit}`, async () => {
      const result = await run('channels', 'print="Hello from guest" e9=dbg code=0x10,0x42 stages=100 exit=3', `
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
      // The console holds firmware's banner if any (no firmware runs before an ELF -kernel on aarch64's virt),
      // then only what the actions print.
      if (banner) expect(result.recentLines.console.slice(-2)).toEqual([expect.stringMatching(banner.lastLine), 'Hello from guest']);
      else expect(result.recentLines.console).toEqual(['Hello from guest']);
      expect(result.recentLines.debugcon).toEqual(['dbg']);
      expect(result.receivedBytes.codes).toBe(6);
      // One entry per stage, from its first code (0x10 opened firmware, 0x42 kernel): the bootloader's lasts
      // from 0x20 to 0x40, the guest's 100 ms sleep on its host-clocked timer, stamped by the host as codes arrive.
      expect(result.stages.map((s) => s.stage)).toEqual(['firmware', 'kernel', 'bootloader', 'userspace']);
      const bootloader = result.stages[2]!;
      expect(bootloader.end! - bootloader.start).toBeGreaterThan(80);
      expect(bootloader.end! - bootloader.start).toBeLessThan(400);
    });

    test('floods: exact byte counts on the console, the debug console and the stage codes', async () => {
      const result = await run('floods', 'flood=100000 e9flood=65536 codeflood=4096 print=done exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - console: done
  - debugcon: { regex: '^!"#' }
  - never: { code: 0xff }
`);
      expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed', 'passed']);
      expectConsoleBytes(result, 100000 + 'done\n'.length);
      expect(result.receivedBytes.debugcon).toBe(65536);
      expect(result.receivedBytes.codes).toBe(4096);
    });

    test('raw bytes reach the console as they are, and the run goes on', async () => {
      // A NUL and an escape sequence, then "ok" and a byte that is no UTF-8, each ending its line.
      const result = await run('raw', 'raw=ff001b5b316d0a raw=6f6bff0a print=after exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: { regex: '^ok\uFFFD$' }
  - console: after
`);
      expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
      expectConsoleBytes(result, 7 + 4 + 'after\n'.length);
    });

    test(`vprint and vflood on the virtio console (virtio-mmio at ${spec.virtioAt})`, async () => {
      const result = await run('virtio', 'vprint="tests: 3 passed" vflood=1048576 print=done exit=0', `
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
      const result = await run('no-virtio', 'vprint=x vflood=10 exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: 'reference: no virtio console'
  - console: 'reference: no virtio console transmit queue'
`);
      expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
    });

    test('echo: console input read back line by line, Ctrl-C drops a line, `exit` ends the run with status 0', async () => {
      const result = await run('echo', 'echo', `
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
      const result = await run('not-available', 'fw=x triplefault rdrand nosuch print=after exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - console: "reference: action 'fw' is not available on ${spec.arch}"
  - console: "reference: action 'triplefault' is not available on ${spec.arch}"
  - console: "reference: action 'rdrand' is not available on ${spec.arch}"
  - console: "reference: unknown action 'nosuch'"
  - console: after
`);
      expect(statuses(result), result.finish.cause).toEqual(Array(6).fill('passed'));
    });
  });

  describe(`${spec.arch} reference guest: ends`, () => {
    // Status 0 leaves QEMU with status 0 and no SHUTDOWN event (semihosting's exit, a finisher's pass), which is
    // all a power-off shows as well (under -no-reboot on aarch64, always on riscv64): the runner reads it as one.
    test('exit=0: QEMU exits 0, read as a power-off', async () => {
      const result = await run('status-0', 'print=before exit=0 print=after', `
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
      const result = await run(`status-${status}`, `print=before ${cmdline} print=after`, `
timeout: 20
exit: { status: ${status} }
expect:
  - console: before
  - never: after
`);
      expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
      expect(result.exit).toEqual({ kind: 'status', status });
    });

    for (const [end, how] of [['poweroff', profile.power.off], ['reset', profile.power.reset]] as const) {
      test(`${end}: ${how}`, async () => {
        const result = await run(end, `print=before ${end}`, `
timeout: 20
exit: ${end}
expect:
  - console: before
  - never: '${end} unsupported'
`);
        expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed', 'passed']);
        expect(result.exit).toEqual({ kind: end });
      });
    }
  });

  describe(`${spec.arch} reference guest: test output, hooks and crashes`, () => {
    test('uktest, KTAP, check, loop and emulated print what they print on x86_64 (emulated: the architecture\'s checksum)', async () => {
      const result = await run('results', 'uktest=fail ktap=pass check loop=1000 emulated exit=0', `
timeout: 20
exit: { status: 0 }
expect:
  - uktest: ref_io_testsuite->test_read
    status: failed
  - ktap: ref_io->io_write_test
  - console: 'guest_check_value() returned 0'
  - console: 'loop done: 1000 calls'
  - console: '${spec.emulatedLine}'
`);
      expect(statuses(result), result.finish.cause).toEqual(Array(6).fill('passed'));
      expect(result.cases.filter((c) => c.status === 'failed').map((c) => `${c.suite}->${c.case}`)).toEqual(['ref_io_testsuite->test_read']);
    });

    test(`uktest=crash: a Unikraft crash screen with ${spec.arch} registers, found as a crash`, async () => {
      const result = await run('uktest-crash', 'uktest=crash', `
timeout: 20
crash: { expected: unikraft-crash }
end: [ { console: Unikraft halted } ]
exit: any
expect:
${spec.crashRegisterLines.map((line) => `  - console: { regex: '${line}' }`).join('\n')}
`);
      expect(statuses(result), result.finish.cause).toEqual(Array(spec.crashRegisterLines.length + 1).fill('passed'));
      expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
      const screen = result.crashes[0]?.lines.join('\n');
      expect(screen).toMatch(/unikraft_crash_screen\+0x[0-9a-f]+[\s\S]*act_uktest\+0x[0-9a-f]+[\s\S]*Unikraft halted/);
      expect(screen).toContain(spec.crashTrap);
    });

    test(`crashloop: the trap dump with ${spec.arch} registers, found as a crash (${spec.crashloopKind}) at its first Crashing`, async () => {
      const result = await run('crashloop', 'crashloop', `
timeout: 20
crash: { expected: ${spec.crashloopKind} }
end: [ { console: Crashing } ]
exit: any
expect:
  - console: { regex: '${spec.crashloopRegisterLine}' }
`);
      expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed']);
      expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
      expect(result.crashes[0]?.lines.join('\n')).toContain('<traps.c @ 113> Crashing');
    });

    test('panic: the Linux panic text, found as a crash', async () => {
      const result = await run('panic', 'panic="Attempted to kill init!"', `
timeout: 20
crash: { expected: linux-panic }
`);
      expect(result.crashVerdict.status, result.finish.cause).toBe('passed');
    });

    test.each(['hang', 'spin'])('%s: nothing more is printed and QEMU runs on until the quiet end stops it', async (action) => {
      const result = await run(action, `print=before ${action} print=after`, `
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

  describe(`${spec.arch} reference guest: CPUs`, () => {
    test.each([1, 4])(`cpus and smp=N through ${spec.cpuStart} on %i ${spec.cpuNoun}, twice in a row`, async (cpus) => {
      const result = await run(`smp-${cpus}`, 'cpus smp=1000 smp=10 exit=0', `
timeout: 30
exit: { status: 0 }
expect:
  - console: 'cpus: ${cpus}'
  - console: 'smp: ${cpus} cpus, 1000 calls each'
  - console: 'smp: ${cpus} cpus, 10 calls each'
  - never: { regex: 'did not start|${spec.cpuStartErrors}|grew by' }
`, `, cpus: ${cpus}`);
      expect(statuses(result), result.finish.cause).toEqual(Array(5).fill('passed'));
    });
  });

  return { kernel, run };
}
