// Problems outside the guest get a one-line cause and what to do, and leave nothing behind.
import { describe, test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { QEMU_BINARY_ENV } from '../../src/runner/preflight.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';

isolateRuns('bad-input', () => delete process.env[QEMU_BINARY_ENV]);

/** Every expectation and the exit fail with the same cause, and the run ended in error. */
function expectFailedWith(result: RunResult, text: string): void {
  expect(result.finish).toMatchObject({ reason: 'error', cause: expect.stringContaining(text) });
  for (const verdict of [...result.verdicts, result.exitVerdict]) {
    expect(verdict).toMatchObject({ status: 'failed', reason: expect.stringContaining(text) });
  }
}

const scenario = (guest: string, machine = '{}') => scenarioFrom(`
name: bad
guest: ${guest}
machine: ${machine}
timeout: 10
exit: any
expect:
  - console: hello
`);

describe('bad input outside the scenario file', () => {
  test('a missing kernel file names the path, the YAML line and the fix', async () => {
    const result = await runScenario(scenario('{ kernel: no/such/kernel.elf }'));
    expectFailedWith(result, 'kernel file not found or unreadable: ');
    expect(result.finish.cause).toContain('no/such/kernel.elf');
    expect(result.finish.cause).toContain('Check guest.kernel in inline.yaml:2');
  });

  test('a kernel that is not an ELF or bzImage is refused before QEMU starts', async () => {
    const result = await runScenario(scenario('{ kernel: package.json }'));
    expectFailedWith(result, 'is not a kernel image: expected an ELF file or a Linux bzImage');
    expect(result.command).toBeUndefined();
  });

  test('a missing initrd is named', async () => {
    const result = await runScenario(scenario('{ kernel: reference, initrd: no/such/initrd.cpio }'));
    expectFailedWith(result, 'initrd file not found or unreadable');
  });

  test('a missing QEMU binary says how to install it', async () => {
    process.env[QEMU_BINARY_ENV] = '/nonexistent/qemu-system-x86_64';
    const result = await runScenario(scenario('{ kernel: reference }'));
    expectFailedWith(result, 'QEMU binary "/nonexistent/qemu-system-x86_64" not found');
    expect(result.finish.cause).toContain('apt-get install --no-install-recommends qemu-system-x86');
  });

  test('a qemu-system-<arch> missing from PATH is named, with the package that has it, before QEMU starts', async () => {
    const path = process.env.PATH;
    // A host without the architecture's QEMU: the scenario is valid, its kernel there, the binary not.
    process.env.PATH = '/nonexistent';
    try {
      for (const [arch, pkg] of [['aarch64', 'qemu-system-arm'], ['riscv64', 'qemu-system-misc']] as const) {
        const result = await runScenario(scenario(`{ kernel: guests/reference/build/${arch}/reference.elf }`, `{ arch: ${arch} }`));
        expectFailedWith(result, `QEMU binary "qemu-system-${arch}" not found on PATH.`);
        expect(result.finish.cause).toContain(`apt-get install --no-install-recommends ${pkg}`);
        expect(result.command).toBeUndefined();
      }
    } finally {
      process.env.PATH = path;
    }
  });

  test('QEMU refusing its options reports QEMU\'s own error, not a socket error', async () => {
    const result = await runScenario(scenario('{ kernel: reference }', '{ qemu: ["-no-such-option"] }'));
    expectFailedWith(result, 'QEMU stopped before the guest started: -no-such-option: invalid option');
    expect(result.qemuStderr).toContain('invalid option');
  });

  test('accel: kvm on a host without hardware virtualization is refused with the alternative', async () => {
    const hasVirt = /\b(vmx|svm)\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    const result = await runScenario(scenario('{ kernel: reference }', '{ accel: kvm }'));
    if (hasVirt) {
      // Hardware virtualization exists here, so KVM is a valid choice and the guest boots.
      expect(result.finish.reason).not.toBe('error');
    } else {
      expectFailedWith(result, 'machine.accel is kvm, but this host has no usable hardware virtualization');
    }
  });
});
