// Issue 13, defect 3: machine.cpu, the max default under TCG, and the hint when a guest dies before its
// first word on a CPU model that lacks what it uses (the reference guest's rdrand, like a Unikraft built
// with paging on qemu64).
import { describe, test, expect } from 'vitest';
import { runScenario } from '../../src/runner/run-scenario.js';
import { failureMessage } from '../../src/vitest/failure-message.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { runVitest, uktestLines } from './support/run-vitest.js';

isolateRuns('cpu-model');

const rdrand = (cpu: string | undefined): string => `
name: rdrand
guest: { kernel: reference, cmdline: 'rdrand print="after rdrand" exit=0' }
${cpu === undefined ? '' : `machine: { cpu: '${cpu}' }`}
timeout: 10
exit: { debug-exit: 0 }
expect:
  - console: 'rdrand: ok'
`;

describe('machine.cpu', () => {
  test('by default the guest runs on max under TCG, and RDRAND works', async () => {
    const result = await runScenario(scenarioFrom(rdrand(undefined)));
    expect(result.command?.args.join(' ')).toContain('-accel tcg -cpu max ');
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed']);
    expect(result.exitVerdict.status).toBe('passed');
  });

  test('on qemu64 the guest resets before printing, and the failure names the model and suggests max', async () => {
    const scenario = scenarioFrom(rdrand('qemu64'));
    const result = await runScenario(scenario);
    expect(result.exit).toEqual({ kind: 'reset' });
    expect(result.receivedBytes).toMatchObject({ console: 0, debugcon: 0, virtio: 0 });
    expect(result.verdicts[0]!.status).toBe('failed');
    const reason = result.verdicts[0]!.status === 'failed' ? result.verdicts[0]!.reason : '';
    const message = failureMessage(reason, scenario.expectations[0]!.location, result);
    expect(message).toContain('The console printed nothing.\n\nHint: The guest reset before writing anything to its console, debug console, stage codes or virtio console, on CPU model qemu64 (-cpu qemu64).');
    expect(message).toContain('try machine: { cpu: max }');
  });

  test('a named model with features TCG lacks runs: QEMU\'s warnings about them are not errors', async () => {
    const result = await runScenario(scenarioFrom(rdrand('Skylake-Server,-pku')));
    expect(result.qemuStderr).toContain('warning: TCG doesn\'t support requested feature');
    expect(result.exit).toEqual({ kind: 'debug-exit', value: 0, status: 1 });
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed']);
  });

  test('a guest that printed before it reset gets no CPU hint', async () => {
    const scenario = scenarioFrom(rdrand('qemu64').replace("cmdline: 'rdrand", "cmdline: 'print=\"before rdrand\" rdrand"));
    const result = await runScenario(scenario);
    expect(result.exit).toEqual({ kind: 'reset' });
    const reason = result.verdicts[0]!.status === 'failed' ? result.verdicts[0]!.reason : '';
    expect(failureMessage(reason, scenario.expectations[0]!.location, result)).not.toContain('Hint:');
  });

  test('through Vitest, the failing example shows the hint under each failed test', async () => {
    const run = await runVitest(['scenarios/failing/cpu-model.yaml']);
    expect(run.exitCode).toBe(1);
    expect(uktestLines(run.plain).at(-1)).toBe('0 passed, 2 failed');
    expect(run.plain.match(/Hint: The guest reset before writing anything to its console, debug console, stage codes or virtio console, on CPU model qemu64 \(-cpu qemu64\)/g)).toHaveLength(2);
  });
});
