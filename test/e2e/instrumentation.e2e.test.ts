// Breakpoints counted by the TCG plugin on real QEMU: exact counts of ten million calls, per vCPU, the plugin
// and the GDB stub in one run, the flush before a timeout's verdict, and the fallback to the stub.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { qemuArgsCommand } from '../../src/cli/qemu-args.js';
import { REPO } from './support/host.js';
import { QEMU_BINARY_ENV } from '../../src/runner/preflight.js';

// Read before isolateRuns points TMPDIR at the folder each test must leave empty.
const HOST_TMP = tmpdir();

isolateRuns('instrumentation');

const statuses = (result: RunResult): string[] => result.verdicts.map((v) => v.status);
const hits = (result: RunResult) => result.timeline.events.flatMap((e) => (e.kind === 'hit' ? [e] : []));
const uses = (result: RunResult, option: string): boolean => result.command!.args.includes(option);

/** `body` run with VITEST_GUEST_PLUGIN set to `value` (undefined: unset, the plugin by default), restored after. */
async function withPluginSetting<T>(value: string | undefined, body: () => Promise<T>): Promise<T> {
  const before = process.env.VITEST_GUEST_PLUGIN;
  const set = (v: string | undefined): void => {
    if (v === undefined) delete process.env.VITEST_GUEST_PLUGIN;
    else process.env.VITEST_GUEST_PLUGIN = v;
  };
  set(value);
  try {
    return await body();
  } finally {
    set(before);
  }
}

describe('counting through the plugin', () => {
  test('ten million calls counted exactly, in about the time of the run alone, with no GDB stub attached', async () => {
    const result = await runScenario(scenarioFrom(`
name: ten-million
guest: { kernel: reference, cmdline: 'loop=10000000 exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 10000000
`));
    expect(result.finish.reason).toBe('guest-exit');
    expect(statuses(result)).toEqual(['passed']);
    expect(result.exitVerdict.status).toBe('passed');
    expect(uses(result, '-plugin')).toBe(true);
    expect(uses(result, '-gdb')).toBe(false);
    const plugin = result.command!.args[result.command!.args.indexOf('-plugin') + 1]!;
    // guest_loop_target's address, which moves as the reference guest changes.
    expect(plugin).toMatch(/vitest-guest\.so,sock=.*\/plugin\.sock,points=[0-9a-f]{6}$/);
    // Each batch is one timeline event carrying its count; together they are every call.
    expect(hits(result).every((hit) => hit.count !== undefined && hit.where === 'guest_loop_target' && hit.vcpu === 0)).toBe(true);
    expect(hits(result).reduce((sum, hit) => sum + hit.count!, 0)).toBe(10_000_000);
    // Through the stub, at ~2,500 stops a second, this would take over an hour.
    expect(result.durationMs).toBeLessThan(10_000);
  });

  test('one call too many fails, naming how many were counted and when', async () => {
    const result = await runScenario(scenarioFrom(`
name: one-too-many
guest: { kernel: reference, cmdline: 'loop=10000000 exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 9999999
`));
    const verdict = result.verdicts[0]!;
    expect(verdict.status).toBe('failed');
    expect(verdict.status === 'failed' && verdict.reason).toMatch(/^hit 10000000 times, expected 9999999 times; hits? [\d-]+ (was|were) guest_loop_target on vCPU 0, counted by \+\d+\.\d ms$/);
  });

  test('per vCPU: each of four vCPUs counted on its own, exactly', async () => {
    const calls = 2_500_000;
    const result = await runScenario(scenarioFrom(`
name: per-vcpu
machine: { cpus: 4 }
guest: { kernel: reference, cmdline: 'smp=${calls} exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
${[0, 1, 2, 3].map((vcpu) => `  - { breakpoint: guest_loop_target, vcpu: ${vcpu}, count: ${calls} }`).join('\n')}
  - { breakpoint: guest_loop_target, count: ${4 * calls} }
  - console: 'smp: 4 cpus, ${calls} calls each'
`));
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    const perVcpu = new Map<number, number>();
    for (const hit of hits(result)) perVcpu.set(hit.vcpu, (perVcpu.get(hit.vcpu) ?? 0) + hit.count!);
    expect([...perVcpu.entries()].sort()).toEqual([[0, calls], [1, calls], [2, calls], [3, calls]]);
  });

  test('a checked breakpoint stops in the GDB stub while a counted one beside it goes to the plugin', async () => {
    const result = await runScenario(scenarioFrom(`
name: both
guest: { kernel: reference, cmdline: 'loop=200000 check exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 200000
  - breakpoint: guest_check_value
    count: 1
    memory:
      - { at: guest_loop_counter, size: 8, equals: 200000 }
`));
    expect(statuses(result)).toEqual(['passed', 'passed']);
    expect(uses(result, '-plugin') && uses(result, '-gdb')).toBe(true);
    // The stub's hit is one stop (no count); the plugin's come in batches.
    expect(hits(result).filter((hit) => hit.where === 'guest_check_value').map((hit) => hit.count)).toEqual([undefined]);
    expect(hits(result).filter((hit) => hit.where === 'guest_loop_target').every((hit) => hit.count !== undefined)).toBe(true);
  });

  test('a run that ends at its timeout, the guest still running, is judged on the counts read then', async () => {
    const result = await runScenario(scenarioFrom(`
name: spins
guest: { kernel: reference, cmdline: 'loop=777777 spin' }
timeout: 2
expect:
  - breakpoint: guest_loop_target
    count: 777777
  # Keeps the run open to its timeout: an exact count is decided when the run ends.
  - console: 'never printed'
`));
    expect(result.finish.reason).toBe('timeout');
    expect(statuses(result)).toEqual(['passed', 'failed']);
    expect(result.verdicts[0]).toMatchObject({ detail: 'hit 777777 times during the run' });
  });

  test('aarch64: the same plugin counts on QEMU\'s virt board', async () => {
    const result = await runScenario(scenarioFrom(`
name: aarch64-count
machine: { arch: aarch64 }
guest: { kernel: guests/reference/build/aarch64/reference.elf, cmdline: 'loop=1000000 exit=0' }
timeout: 30
exit: { status: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 1000000
`));
    expect(statuses(result)).toEqual(['passed']);
    expect(uses(result, '-plugin') && !uses(result, '-gdb')).toBe(true);
  });

  test.each([
    ['the plugin\'s count', undefined, false],
    ['the GDB stub\'s stop', 'off', true],
  ] as const)('%s that decides the last expectation ends the run at once, though the guest prints nothing after it', async (_counter, plugin, stub) => {
    const result = await withPluginSetting(plugin, () => runScenario(scenarioFrom(`
name: silent-after
guest: { kernel: reference, cmdline: 'hang' }
timeout: 60
expect:
  - breakpoint: act_hang
`)));
    expect(statuses(result)).toEqual(['passed']);
    expect(result.exitVerdict.status).toBe('pending');
    expect([uses(result, '-plugin'), uses(result, '-gdb')]).toEqual([!stub, stub]);
    expect(result.finish.reason).toBe('verdict-known');
    // Nothing but the hit can end it: waiting for other news would wait for the 60 s timeout.
    expect(result.durationMs).toBeLessThan(10_000);
  });

  // A loaded CI host starved the plugin's sender thread: the batch holding the last calls was stamped after
  // `loop done` had been read. Timer batches a second apart do that every time (the guest sleeps past the next
  // one); QEMU is wrapped to ask for them.
  test.each([
    ['a count', { cpus: 1, cmdline: 'loop=10000000', count: 10_000_000, vcpu: undefined, line: 'loop done: 10000000 calls', mark: '10000000' }],
    ['one vCPU\'s count', { cpus: 2, cmdline: 'smp=1000000', count: 1_000_000, vcpu: 1, line: 'smp: 2 cpus, 1000000 calls each', mark: '1000000.1' }],
  ] as const)('a line the guest prints after the counted hit that met %s comes after it, though the next timer batch is a second away', async (_what, { cpus, cmdline, count, vcpu, line, mark }) => {
    const dir = mkdtempSync(join(HOST_TMP, 'vg-slow-batches-'));
    const wrapper = join(dir, 'qemu-system-x86_64');
    writeFileSync(wrapper, `#!/bin/sh\nfor a in "$@"; do\n  case "$a" in *,sock=*) set -- "$@" "$a,interval-ms=1000" ;; *) set -- "$@" "$a" ;; esac\n  shift\ndone\nexec qemu-system-x86_64 "$@"\n`);
    chmodSync(wrapper, 0o755);
    process.env[QEMU_BINARY_ENV] = wrapper;
    try {
      const result = await runScenario(scenarioFrom(`
name: counted-then-printed
machine: { cpus: ${cpus} }
guest: { kernel: reference, cmdline: '${cmdline} sleep=1500 exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - id: counted
    breakpoint: guest_loop_target
    count: ${count}${vcpu === undefined ? '' : `\n    vcpu: ${vcpu}`}
  - console: '${line}'
    after: counted
`));
      expect(statuses(result), result.finish.cause).toEqual(['passed', 'passed']);
      expect(result.command!.args.find((arg) => arg.includes(',sock='))).toMatch(new RegExp(`,points=([0-9a-f]+),marks=\\1\\.${mark.replace('.', '\\.')}$`));
      // Batches a second apart, not every 10 ms (dozens over the loop): the wrapper's interval was taken.
      expect(hits(result).length).toBeLessThan(5 * cpus);
      // The batch that met the count is the vCPU's, sent at the call that reached it: stamped before the line was read.
      let counted = 0;
      const metAt = hits(result).find((hit) => (vcpu === undefined || hit.vcpu === vcpu) && (counted += hit.count!) >= count)!.t;
      const lineAt = result.timeline.events.find((e) => e.kind === 'line' && e.text === line)!.t;
      expect(metAt).toBeLessThanOrEqual(lineAt);
    } finally {
      delete process.env[QEMU_BINARY_ENV];
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vitest-guest qemu-args', () => {
  test('shows the -plugin argument with the points it counts, and the GDB stub only where a point needs the stop', async () => {
    const lines: string[] = [];
    const status = await qemuArgsCommand({ file: `${REPO}/scenarios/instrumentation/count-loop.yaml`, standalone: false, workdir: '/run/vg' }, (line) => lines.push(line), (line) => lines.push(line));
    expect(status).toBe(0);
    const commands = lines.filter((line) => line.startsWith('qemu-system-x86_64 '));
    expect(commands).toHaveLength(3);
    const plugin = /-plugin \S+\/plugin\/build\/vitest-guest\.so,sock=\/run\/vg\/plugin\.sock,points=[0-9a-f]{6}[ ,]/;
    expect(commands.every((command) => plugin.test(command))).toBe(true);
    // count-ten-million-calls' count has a console line after it: its batch is sent the moment it is reached.
    expect(commands.map((command) => /,points=([0-9a-f]+),marks=\1\.10000000 /.test(command))).toEqual([true, false, false]);
    expect(commands.map((command) => command.includes(' -gdb '))).toEqual([false, false, true]);
  });
});

describe('without the plugin', () => {
  test('a plugin that cannot load leaves the counts to the GDB stub, saying why once', async () => {
    const result = await withPluginSetting('/nonexistent/vitest-guest.so', () => runScenario(scenarioFrom(`
name: fallback
guest: { kernel: reference, cmdline: 'loop=3 exit=0' }
timeout: 30
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 3
`)));
    expect(statuses(result)).toEqual(['passed']);
    expect(uses(result, '-gdb') && !uses(result, '-plugin')).toBe(true);
    expect(result.pluginFallback).toBe('vitest-guest: /nonexistent/vitest-guest.so is not built (run `make -C plugin` in the vitest-guest package, or scripts/setup.sh); breakpoints are counted through the GDB stub.');
    expect(hits(result).map((hit) => hit.count)).toEqual([undefined, undefined, undefined]);
  });
});
