// Timing baselines end to end: `vitest-guest baseline` boots the reference guest and records the figures
// beside the scenario file; runs of that scenario are then held to them.
import { describe, test, expect, afterAll } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../../src/runner/run-scenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { REFERENCE_KERNEL, REPO } from './support/host.js';
import { isolateRuns } from './support/isolated-runs.js';

isolateRuns('baseline');

// The scenario and its baseline file, outside the private TMPDIR the runs are checked in.
const DIR = mkdtempSync(join(tmpdir(), 'vg-baseline-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const YAML = join(DIR, 'boot.yaml');
const BASELINE = join(DIR, 'boot.baseline.json');
const CLI = join(REPO, 'bin/vitest-guest.js');

const scenarioText = (kernelMs: number) => `name: boot
guest: { kernel: ${REFERENCE_KERNEL}, cmdline: 'stages=5,5,${kernelMs},5 exit=0' }
timeout: 10
exit: { debug-exit: 0 }
timing:
  - stage: kernel
    baseline: 30%
`;

async function runFile() {
  const [doc] = loadScenarioFile({ displayPath: 'boot.yaml', absolutePath: YAML, text: readFileSync(YAML, 'utf8') });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return runScenario(doc.scenario);
}

describe('vitest-guest baseline', () => {
  test('records the median and spread of N boots, then a run is judged against them, delta shown', async () => {
    // Long enough that host jitter stays small beside it: the host stamps the codes as it reads them,
    // and a CI run with every core busy once read a 100 ms stage as 61 ms (median of three).
    writeFileSync(YAML, scenarioText(400));
    const recorded = await execa('node', [CLI, 'baseline', YAML, '--runs', '3'], { cwd: DIR, reject: false });
    expect(recorded.stderr).toBe('');
    expect(recorded.exitCode).toBe(0);
    expect(recorded.stdout).toMatch(/^boot: stage kernel: median of 3 runs [\d.]+ ms, spread [\d.]+-[\d.]+ ms \(host clock\)\nwrote boot\.baseline\.json$/);
    const figure = JSON.parse(readFileSync(BASELINE, 'utf8')).scenarios.boot['stage kernel'];
    expect(figure).toMatchObject({ statistic: 'median', runs: 3, clock: 'host' });
    // 400 ms of the guest's PIT time, give or take what a loaded host reads late.
    expect(figure.ms).toBeGreaterThan(250);
    expect(figure.ms).toBeLessThan(800);

    const same = await runFile();
    expect(same.timingVerdicts[0]).toMatchObject({ status: 'passed', detail: expect.stringMatching(/^stage kernel: [\d.]+ ms, [+-][\d.]+% against the baseline [\d.]+ ms \(median of 3 runs, recorded \d{4}-\d\d-\d\d\) \(host clock\)$/) });

    // The kernel stage twice as long: about 100% slower where 30% are allowed.
    writeFileSync(YAML, scenarioText(800));
    const slower = await runFile();
    expect(slower.exitVerdict.status).toBe('passed');
    // 800 ms of the guest's PIT time; the host stamps the codes as they arrive.
    const slow = /^stage kernel: ([\d.]+) ms, ([\d.]+)% slower than the baseline [\d.]+ ms \(median of 3 runs, recorded [\d-]+\), expected at most 30% slower \(host clock\)$/.exec(slower.timingVerdicts[0]!.status === 'failed' ? slower.timingVerdicts[0]!.reason : '');
    expect(slow, JSON.stringify(slower.timingVerdicts[0])).not.toBeNull();
    expect(Number(slow![1])).toBeGreaterThan(600);
    expect(Number(slow![2])).toBeGreaterThan(30);
  });

  test('without a baseline file the assertion fails, naming the command that records one', async () => {
    writeFileSync(YAML, scenarioText(10));
    rmSync(BASELINE, { force: true });
    const result = await runFile();
    expect(result.timingVerdicts[0]).toMatchObject({ status: 'failed', reason: expect.stringMatching(/: there is no baseline file .*boot\.baseline\.json; record one with npx vitest-guest baseline boot\.yaml$/) });
  });

  test('a scenario whose runs fail records nothing and says why', async () => {
    writeFileSync(YAML, scenarioText(10).replace('exit: { debug-exit: 0 }', 'exit: { debug-exit: 3 }'));
    const recorded = await execa('node', [CLI, 'baseline', YAML, '--runs', '2'], { cwd: DIR, reject: false });
    expect(recorded.exitCode).toBe(1);
    expect(recorded.stderr).toMatch(/^vitest-guest: boot: run \d of 2: expected debug-exit value 3 \(QEMU status 7\), got debug-exit value 0 \(QEMU status 1\); a baseline is taken from runs that pass \(timing limits aside\)\.$/);
    expect(() => readFileSync(BASELINE)).toThrow(/ENOENT/);
  });
});
