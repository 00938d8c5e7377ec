// guest.firmware on real QEMU: the named image replaces the machine's own firmware, with or without a
// kernel; a missing one stops the run before QEMU starts. (OVMF and U-Boot alone: scenarios/real/.)
import { describe, test, expect } from 'vitest';
import { execa } from 'execa';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { REFERENCE_KERNEL, REPO } from './support/host.js';

isolateRuns('firmware');

/** QEMU's own build of qboot (package qemu-system-data), the firmware of microvm; it boots pc too. */
const QBOOT = '/usr/share/qemu/qboot.rom';

describe('guest.firmware', () => {
  test('a firmware beside the kernel runs instead of the machine\'s own: qboot on pc boots the reference guest, and SeaBIOS never logs', async () => {
    expect(existsSync(QBOOT), `${QBOOT} comes with QEMU (Debian's qemu-system-data)`).toBe(true);
    const result = await runScenario(scenarioFrom(`
name: qboot-on-pc
guest: { firmware: ${QBOOT}, kernel: reference, cmdline: 'print="Hello from guest" exit=0' }
machine: { type: pc }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - console: Hello from guest
  - never: { text: SeaBIOS, channel: firmware }
`));
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'passed']);
    expect(result.exitVerdict.status).toBe('passed');
    const args = result.command!.args;
    expect(args.slice(args.indexOf('-bios'), args.indexOf('-bios') + 3)).toEqual(['-bios', QBOOT, '-kernel']);
  });

  test('the same guest under the machine\'s own firmware logs SeaBIOS there: the never above can fail', async () => {
    const result = await runScenario(scenarioFrom(`
name: seabios-on-pc
guest: { kernel: reference, cmdline: 'print="Hello from guest" exit=0' }
machine: { type: pc }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - never: { text: SeaBIOS, channel: firmware }
`));
    expect(result.verdicts[0]).toMatchObject({ status: 'failed' });
    expect(result.command!.args).not.toContain('-bios');
  });

  test('a missing firmware file names the key, the YAML line and the fix, and QEMU never starts', async () => {
    const result = await runScenario(scenarioFrom(`
name: no-firmware
guest: { firmware: { pflash: no/such/OVMF_CODE.fd } }
timeout: 10
exit: any
`));
    expect(result.finish).toMatchObject({ reason: 'error', cause: expect.stringContaining('firmware file not found, unreadable or empty: ') });
    expect(result.finish.cause).toContain('no/such/OVMF_CODE.fd');
    expect(result.finish.cause).toContain('Check guest.firmware.pflash in inline.yaml:2');
    expect(result.command).toBeUndefined();
  });

  test('vitest-guest qemu-args prints the firmware, and the standalone command boots through it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-fw-'));
    const file = join(dir, 'fw.yaml');
    writeFileSync(file, `name: fw\nguest: { firmware: ${QBOOT}, kernel: ${REFERENCE_KERNEL}, cmdline: 'print="Hello from guest" exit=0' }\nexit: any\n`);
    const { stdout } = await execa('node', [join(REPO, 'bin/vitest-guest.js'), 'qemu-args', file, '--standalone', '--workdir', dir], { cwd: REPO });
    const command = stdout.split('\n')[1]!;
    expect(command).toContain(` -bios ${QBOOT} -kernel ${REFERENCE_KERNEL} `);
    const run = await execa('bash', ['-c', command], { reject: false, timeout: 20_000 });
    expect(run.stdout).toContain('Hello from guest');
    rmSync(dir, { recursive: true, force: true });
  });
});
