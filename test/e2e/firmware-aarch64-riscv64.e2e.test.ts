// Firmware of the other architectures on real QEMU, beside their scenarios in scenarios/real/: a wrong
// expectation on OpenSBI's report fails saying what ended the run, and edk2 for aarch64 boots from a
// pristine variable store template that it must write to, which no run changes.
import { describe, test, expect, type TestContext } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { REPO } from './support/host.js';

isolateRuns('firmware-arches');

const BUILD = join(REPO, 'guests/firmware/build');

/** Fetched by guests/firmware/fetch.sh: in CI their absence fails, elsewhere the test is skipped saying so. */
function needs(context: TestContext, ...files: string[]): void {
  const missing = files.map((file) => join(BUILD, file)).filter((path) => !existsSync(path));
  if (missing.length === 0) return;
  const what = `missing ${missing.join(', ')}: run bash guests/firmware/fetch.sh (bash scripts/setup.sh does)`;
  if (process.env.CI) throw new Error(what);
  context.skip(what);
}

describe('OpenSBI alone on riscv64', () => {
  test('a wrong hart count fails at the end OpenSBI comes to, the line it did print passes', async (context) => {
    needs(context, 'opensbi-fw_jump.bin');
    const result = await runScenario(scenarioFrom(`
name: wrong-hart-count
guest: { firmware: guests/firmware/build/opensbi-fw_jump.bin }
machine: { arch: riscv64, cpus: 2 }
timeout: 30
end: [ { quiet: 1 } ]
exit: any
expect:
  - console: { regex: '^Platform Name +: riscv-virtio,qemu$' }
  - console: { regex: '^Platform HART Count +: 4$' }
`));
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'failed']);
    expect(result.verdicts[1]).toMatchObject({ reason: 'not seen: the guest ended first: no output for 1 s (end: quiet)' });
    // The report's last line, the one before the silence, is among the lines a failure shows.
    expect(result.recentLines.console.at(-1)).toMatch(/^Boot HART MEDELEG +: 0x[0-9a-f]+$/);
  });
});

describe('edk2 on aarch64 from flash', () => {
  test('the variable store template is written by the firmware in a snapshot: the shell starts, the file is unchanged', async (context) => {
    needs(context, 'AAVMF_CODE.fd', 'AAVMF_VARS.fd');
    const vars = join(BUILD, 'AAVMF_VARS.fd');
    const digest = (): string => createHash('sha256').update(readFileSync(vars)).digest('hex');
    const before = digest();
    const result = await runScenario(scenarioFrom(`
name: pristine-vars
guest: { firmware: { pflash: guests/firmware/build/AAVMF_CODE.fd, vars: guests/firmware/build/AAVMF_VARS.fd } }
machine: { arch: aarch64, memory: 256M }
timeout: 60
expect:
  - console: 'UEFI Interactive Shell v2.2'
  # What this firmware prints when its variable store cannot be written.
  - never: 'Synchronous Exception'
`));
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'passed']);
    expect(result.command!.args).toContain(`if=pflash,format=raw,unit=1,snapshot=on,file=${vars}`);
    expect(digest()).toBe(before);
  });
});
