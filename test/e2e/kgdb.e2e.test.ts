// Breakpoints and faults through Linux's own GDB stub (KGDB on the second serial port), not QEMU's: the
// examples of scenarios/real/kgdb.yaml on the kernel guests/kgdb/build.sh builds (npm test's setup step).
import { describe, test, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { isolateRuns } from './support/isolated-runs.js';
import { REPO } from './support/host.js';

isolateRuns('kgdb');

const FILE = join(REPO, 'scenarios/real/kgdb.yaml');
const NEEDED = ['guests/kgdb/build/bzImage', 'guests/kgdb/build/System.map', 'guests/linux/build/initramfs.cpio'];

function scenario(name: string, change: (s: Scenario) => Scenario = (s) => s): Scenario {
  for (const file of NEEDED) if (!existsSync(join(REPO, file))) throw new Error(`${file} is missing: run bash guests/kgdb/build.sh and bash guests/linux/fetch.sh (npm test's setup does).`);
  const docs = loadScenarioFile({ displayPath: 'scenarios/real/kgdb.yaml', absolutePath: FILE, text: readFileSync(FILE, 'utf8') });
  const doc = docs.find((d) => d.ok && d.scenario.name === name);
  if (!doc?.ok) throw new Error(`no valid scenario ${name}`);
  return change(doc.scenario);
}

describe('KGDB: the guest\'s own stub', () => {
  test('a system call made for a shell command is stopped at once through KGDB, with a register and a kernel variable read there', async () => {
    const result = await runScenario(scenario('breakpoint-after-boot'));
    expect(result.verdicts.map((v) => (v.status === 'failed' ? v.reason : v.status))).toEqual(result.verdicts.map(() => 'passed'));
    // QEMU's stub is not there: the socket is the machine's second serial port.
    expect(result.command?.args).not.toContain('-gdb');
    expect(result.command?.args.filter((a, i, all) => all[i - 1] === '-serial')).toEqual(['chardev:vg-console', 'chardev:vg-gdb']);
    const hits = result.timeline.events.filter((e) => e.kind === 'hit');
    // Symbolized exactly: the pc KGDB reports after int3 was moved back onto the breakpoint.
    expect(hits).toHaveLength(1);
    for (const hit of hits) expect(hit).toMatchObject({ where: '__x64_sys_sync' });
  }, 180_000);

  test('a fault injected through KGDB makes a shell command fail, and the guest goes on', async () => {
    const result = await runScenario(scenario('fault-from-shell'));
    expect(result.verdicts.map((v) => (v.status === 'failed' ? v.reason : v.status))).toEqual(result.verdicts.map(() => 'passed'));
    const faults = result.timeline.events.filter((e) => e.kind === 'fault');
    expect(faults).toEqual([expect.objectContaining({ fn: '__x64_sys_sethostname', mode: 'override', call: 1 })]);
  }, 180_000);

  test('without the fault the same command succeeds: the failure was the injection, not the guest', async () => {
    const result = await runScenario(scenario('fault-from-shell', (s) => ({ ...s, faults: [], timeout: 15 })));
    const failed = result.verdicts.filter((v) => v.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(result.timeline.events.filter((e) => e.kind === 'fault')).toEqual([]);
  }, 180_000);
});
