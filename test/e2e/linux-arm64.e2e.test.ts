// Debian's arm64 kernel (guests/linux-arm64), booted with nokaslr: the debugger's stops through QEMU's
// aarch64 GDB stub land at the System.map's addresses, and a fault returns through x0 and x30.
import { describe, test, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { isolateRuns } from './support/isolated-runs.js';
import { REPO } from './support/host.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

isolateRuns('linux-arm64');

const FILE = 'scenarios/real/linux-arm64.yaml';

function scenarioNamed(name: string): Scenario {
  // Fetched by npm test's setup step; without it this fails and says how to get it.
  if (!existsSync(join(REPO, 'guests/linux-arm64/build/Image'))) throw new Error('guests/linux-arm64/build/Image is missing: run bash guests/linux-arm64/fetch.sh (npm test does).');
  const docs = loadScenarioFile({ displayPath: FILE, absolutePath: join(REPO, FILE), text: readFileSync(join(REPO, FILE), 'utf8') });
  const doc = docs.find((d) => d.ok && d.scenario.name === name);
  if (!doc?.ok) throw new Error(`${FILE} has no valid scenario ${name}`);
  return doc.scenario;
}

describe("Debian's arm64 kernel", () => {
  test('start_kernel is hit exactly once over the whole boot, at its System.map address', async () => {
    const result = await runScenario(scenarioNamed('arm64-start-kernel'));
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'reset' });
    const hits = result.timeline.events.filter((e) => e.kind === 'hit');
    expect(hits).toHaveLength(1);
    // Symbolized through the System.map as exactly start_kernel, not start_kernel+0x...: set while the MMU
    // is off, the breakpoint is on the virtual address the kernel later runs at.
    expect(hits[0]).toMatchObject({ where: 'start_kernel', vcpu: 0 });
  });

  test('a skipped armv8_pmu_device_probe returns -12 to its caller, once, and the boot goes on', async () => {
    const result = await runScenario(scenarioNamed('arm64-fault-handled'));
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    const faults = result.timeline.events.filter((e) => e.kind === 'fault');
    // One PMU node in virt's DTB: one probe, one injection.
    expect(faults).toEqual([expect.objectContaining({ fn: 'armv8_pmu_device_probe', value: '-12', mode: 'skip', call: 1 })]);
    // The value the caller saw is the one the driver core prints, after the injection.
    const line = result.timeline.events.find((e) => e.kind === 'line' && e.text.includes('armv8-pmu: probe of pmu failed with error -12'));
    expect(line?.t).toBeGreaterThanOrEqual(faults[0]!.t);
  });
});
