// Debian's kernel, booted with nokaslr: a breakpoint from the -dbg package's System.map is hit once.
import { describe, test, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { isolateRuns } from './support/isolated-runs.js';
import { REPO } from './support/host.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

isolateRuns('linux');

const SCENARIO = join(REPO, 'scenarios/linux-start-kernel.yaml');

describe('a Debian kernel', () => {
  test('start_kernel is hit exactly once over the whole boot, at its System.map address', async () => {
    // Fetched by npm test's setup step; without it this fails and says how to get it.
    if (!existsSync(join(REPO, 'guests/linux/build/vmlinuz'))) throw new Error('guests/linux/build/vmlinuz is missing: run bash guests/linux/fetch.sh (npm test does).');
    const [doc] = loadScenarioFile({ displayPath: 'scenarios/linux-start-kernel.yaml', absolutePath: SCENARIO, text: readFileSync(SCENARIO, 'utf8') });
    if (!doc?.ok) throw new Error('the scenario is invalid');
    const result = await runScenario(doc.scenario);
    expect([...result.verdicts, result.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    expect(result.exit).toEqual({ kind: 'reset' });
    const hits = result.timeline.events.filter((e) => e.kind === 'hit');
    expect(hits).toHaveLength(1);
    // The stop's pc symbolized through the System.map is exactly start_kernel (not start_kernel+0x...):
    // nokaslr keeps the kernel where it was linked, so the map's address is where it runs.
    expect(hits[0]).toMatchObject({ where: 'start_kernel', vcpu: 0 });
    // Linux writes 0x00 to port 0x80 as an I/O delay; the scenario uses no codes, so none is read and no
    // boot stage shows (issue 13, defect 4).
    expect(result.stages).toEqual([]);
    expect(result.timeline.events.filter((e) => e.kind === 'code')).toEqual([]);
  });
});
