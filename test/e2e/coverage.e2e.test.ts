// Coverage and profiles of the reference guest on real QEMU through the TCG plugin: what a loop= run covers and
// what it never runs, the tracefile genhtml renders, the profile ranking the loop first over the run, a stage and
// a span, failed checks' messages, and what a run without the plugin says.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hottestInTiming, runInstrumented, type InstrumentedRunResult } from '../../src/runner/instrumented-run.js';
import { MERGED_TRACEFILE } from '../../src/runner/coverage-files.js';
import { parseLcov } from '../../src/coverage/lcov-tracefile.js';
import type { GuestProfile } from '../../src/coverage/guest-profile.js';
import { instrumentationVerdict } from '../../src/vitest/instrumentation-tests.js';
import { PLUGIN_ENV } from '../../src/plugin/plugin-probe.js';
import { isolateRuns } from './support/isolated-runs.js';
import { scenarioFrom } from './support/scenario.js';
import { REPO } from './support/host.js';
import { qemuArgsCommand } from '../../src/cli/qemu-args.js';

isolateRuns('coverage');

// Outside the private TMPDIR, which must be left empty by every run.
const OUT = join(REPO, 'reports', 'coverage-e2e');
beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
});
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const run = (yaml: string, name: string): Promise<InstrumentedRunResult> => runInstrumented(scenarioFrom(yaml), {}, { dir: OUT, name });

describe('coverage of a loop= run', () => {
  let result: InstrumentedRunResult;
  beforeAll(async () => {
    result = await run(`
name: loop-covered
guest: { kernel: reference, cmdline: 'print=hello loop=1000 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - console: 'loop done: 1000 calls'
coverage:
  - functions: guest_loop_target
  - never: [act_crashloop]
  - never: [guest_loop_target]
  - functions: 'act_*'
  - functions: 'no_such_function*'
`, 'loop-covered');
  }, 60_000);

  test('the summary counts the functions and lines that ran; the checks pass and fail with what ran and what did not', () => {
    expect(result.finish.reason).toBe('guest-exit');
    expect(instrumentationVerdict(result, 'coverage')).toMatchObject({ status: 'passed', detail: expect.stringMatching(/^coverage: \d+ of \d+ functions \(\d+\.\d%\), [\d,]+ of [\d,]+ lines \(\d+\.\d%\)\ntracefile: .*loop-covered\.info$/) });
    expect(instrumentationVerdict(result, 'coverage-0')).toEqual({ status: 'passed', t: result.finish.t, detail: '1 of 1 functions matching guest_loop_target ran (100.0%)' });
    expect(instrumentationVerdict(result, 'coverage-1')).toEqual({ status: 'passed', t: result.finish.t, detail: 'none of the 1 functions matching act_crashloop ran' });
    expect(instrumentationVerdict(result, 'coverage-2')).toEqual({ status: 'failed', t: result.finish.t, reason: 'guest_loop_target (entered 1,000 times) ran, and must never run' });
    expect(instrumentationVerdict(result, 'coverage-3')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^3 of \d+ functions matching act_\* ran \(\d+\.\d%\), all of them expected; never ran: (\w+, ){9}\w+ and \d+ more$/) });
    expect(instrumentationVerdict(result, 'coverage-4')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^`no_such_function\*` matches no function of .*reference\.elf/) });
  });

  test('the tracefile: the loop target entered 1000 times, an action never asked for at 0, and its source lines', () => {
    const records = parseLcov(readFileSync(result.coverage!.tracefile!, 'utf8'));
    const hooks = records.find((r) => r.source.endsWith('guests/reference/common/hooks.c'))!;
    expect(hooks.functions.get('guest_loop_target')).toMatchObject({ entries: 1000 });
    const loopLine = hooks.functions.get('guest_loop_target')!.line;
    expect(hooks.lines.get(loopLine)).toBe(1000);
    const crashloop = records.flatMap((r) => [...r.functions].filter(([name]) => name === 'act_crashloop'));
    expect(crashloop).toEqual([['act_crashloop', expect.objectContaining({ entries: 0 })]]);
    expect(readFileSync(join(OUT, MERGED_TRACEFILE), 'utf8')).toContain('FNDA:1000,guest_loop_target');
  });

  test('genhtml renders it', () => {
    const html = join(OUT, 'html');
    execFileSync('genhtml', ['--quiet', '--output-directory', html, join(OUT, MERGED_TRACEFILE)]);
    const index = readFileSync(join(html, 'index.html'), 'utf8');
    expect(index).toMatch(/common/);
    const page = execFileSync('find', [html, '-name', 'hooks.c.gcov.html'], { encoding: 'utf8' }).trim();
    expect(readFileSync(page, 'utf8')).toContain('guest_loop_target');
  });
});

describe('profiles', () => {
  test('over the run, the loop ranks first; between two counted points, exactly the loop\'s work; the stages sum the batches stamped in them and add up to the run; a slow span names its hottest functions', async () => {
    const scenario = scenarioFrom(`
name: loop-profile
guest: { kernel: reference, cmdline: 'code=0x40 loop=3000000 code=0x60 print=done exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - breakpoint: 'REFERENCE_$$_LOOPBEGINS$QWORD'
    id: begins
  - breakpoint: 'REFERENCE_$$_LOOPENDS$QWORD$$QWORD'
    id: ends
  - console: done
profile: { top: 3, stages: true, between: [{ from: begins, to: ends }] }
timing:
  - stage: kernel
    max: 1ms
  - from: begins
    to: ends
    max: 1ms
`);
    // Each batch's instructions at its time, summed here from the plugin's stream as it came.
    const instructionsOf = new Map<number, number>();
    const batches: { t: number; instructions: number }[] = [];
    const result = await runInstrumented(scenario, {
      onBlocks: (_counts, t, batch) => {
        for (const block of batch.newBlocks) instructionsOf.set(block.id, block.instructions);
        batches.push({ t, instructions: batch.blocks.reduce((sum, { id, delta }) => sum + delta * instructionsOf.get(id)!, 0) });
      },
    }, { dir: OUT, name: 'loop-profile' });
    expect(result.verdicts.map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    const sections = result.profile!.sections;
    expect(sections.map((s) => s.title)).toEqual(['the whole run', 'stage kernel', 'stage userspace', 'from begins to ends']);
    const [whole, kernel, userspace, loop] = sections.map((s) => s.profile) as [GuestProfile, GuestProfile, GuestProfile, GuestProfile];
    expect(whole.top.map((e) => e.name).slice(0, 2)).toEqual(['act_loop', 'guest_loop_target']);
    expect(whole.top.find((e) => e.name === 'guest_loop_target')!.instructions).toBe(2 * 3_000_000);

    // The span's edges are counted points: the vCPU sends a batch the moment it reaches each, so the span
    // holds every call of the loop and nothing else the guest ran (the block reaching the end point is in it).
    expect(loop.top.map((e) => e.name)).toEqual(['act_loop', 'guest_loop_target', 'REFERENCE_$$_LOOPENDS$QWORD$$QWORD']);
    expect(loop.top.find((e) => e.name === 'guest_loop_target')!.instructions).toBe(2 * 3_000_000);
    const [begins, ends] = result.verdicts.map((v) => (v.status === 'passed' ? v.t : Number.NaN)) as [number, number];
    expect(result.profileTimeline!.profile(begins, ends, Infinity)).toEqual(loop);

    // A stage's edges are the times the runner read its codes, which the plugin cannot see being written:
    // a stage holds the batches stamped after its code was read up to the next stage's, whatever the
    // host's load puts in them, and the stages with what ran before the first add up to the run.
    const [kernelSpan, userspaceSpan] = result.stages;
    expect(kernelSpan!.end).toBe(userspaceSpan!.start);
    const stamped = (from: number, to: number): number => batches.filter(({ t }) => t > from && t <= to).reduce((sum, b) => sum + b.instructions, 0);
    expect(kernel.total).toBe(stamped(kernelSpan!.start, kernelSpan!.end!));
    expect(userspace.total).toBe(stamped(userspaceSpan!.start, Infinity));
    const before = result.profileTimeline!.profile(-Infinity, kernelSpan!.start, Infinity);
    expect(before.total).toBe(stamped(-Infinity, kernelSpan!.start));
    expect(before.total + kernel.total + userspace.total).toBe(whole.total);
    const inStages = (name: string): number => [before, result.profileTimeline!.profile(kernelSpan!.start, kernelSpan!.end!, Infinity), result.profileTimeline!.profile(userspaceSpan!.start, Infinity, Infinity)]
      .reduce((sum, profile) => sum + (profile.top.find((e) => e.name === name)?.instructions ?? 0), 0);
    for (const entry of whole.top) expect(inStages(entry.name)).toBe(entry.instructions);

    // 3 million calls take far more than 1 ms of TCG: the span's assertion fails and names the loop.
    expect(result.timingVerdicts[1]!.status).toBe('failed');
    const share = (name: string): string => `${name} ${((loop.top.find((e) => e.name === name)!.instructions / loop.total) * 100).toFixed(1)}%`;
    expect(hottestInTiming(scenario, result, 1)).toMatch(new RegExp(`^hottest functions from \\d+\\.\\d to \\d+\\.\\d ms \\(of ${loop.total.toLocaleString('en-US')} instructions\\): ${share('act_loop')}, ${share('guest_loop_target')}`));
    // A stage's hottest functions are its profile's: none when the runner read both its codes at once.
    const kernelHottest = hottestInTiming(scenario, result, 0);
    if (kernel.total === 0) expect(kernelHottest).toBeUndefined();
    else expect(kernelHottest).toMatch(new RegExp(`^hottest functions from ${kernelSpan!.start.toFixed(1)} to ${kernelSpan!.end!.toFixed(1)} ms \\(of ${kernel.total.toLocaleString('en-US')} instructions\\): `));

    const detail = instrumentationVerdict(result, 'profile');
    expect(detail.status === 'passed' && detail.detail.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^profile of the whole run: [\d,]+ instructions$/),
      expect.stringMatching(/^ {2}\s*\d+\.\d% act_loop \([\d,]+\)$/),
      '  ' + `${((2 * 3_000_000 / whole.total) * 100).toFixed(1)}`.padStart(5) + '% guest_loop_target (6,000,000)',
    ]);
  }, 60_000);
});

describe('qemu-args', () => {
  test('shows the plugin counting every block for scenarios with coverage or a profile, and the edges of a span between counted breakpoints as marks', async () => {
    const lines: string[] = [];
    const status = await qemuArgsCommand({ file: `${REPO}/scenarios/instrumentation/coverage.yaml`, standalone: false, workdir: '/run/vg' }, (line) => lines.push(line), (line) => lines.push(line));
    expect(status).toBe(0);
    const commands = lines.filter((line) => line.startsWith('qemu-system-x86_64 '));
    expect(commands).toHaveLength(3);
    expect(commands.slice(0, 2).every((command) => / -plugin \S+\/plugin\/build\/vitest-guest\.so,sock=\/run\/vg\/plugin\.sock,blocks=on /.test(command))).toBe(true);
    // loop-span-profile's span starts and ends at counted breakpoints: the plugin counts them, as marks.
    expect(commands[2]).toMatch(/ -plugin \S+\/plugin\/build\/vitest-guest\.so,sock=\/run\/vg\/plugin\.sock,points=([0-9a-f]+):([0-9a-f]+),marks=\1\.1:\2\.1,blocks=on /);
    expect(commands.some((command) => command.includes(' -gdb '))).toBe(false);
  });
});

describe('without the plugin', () => {
  test('the coverage test and its checks fail saying why there are no counts', async () => {
    process.env[PLUGIN_ENV] = join(OUT, 'missing-plugin.so');
    try {
      const result = await run(`
name: no-plugin
guest: { kernel: reference, cmdline: 'loop=10 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
coverage: { functions: guest_loop_target }
`, 'no-plugin');
      expect(result.exitVerdict.status).toBe('passed');
      const verdict = instrumentationVerdict(result, 'coverage');
      expect(verdict).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^no block counts: .*missing-plugin\.so/) });
      expect(instrumentationVerdict(result, 'coverage-0')).toMatchObject({ status: 'failed', reason: verdict.status === 'failed' ? verdict.reason : '' });
    } finally {
      delete process.env[PLUGIN_ENV];
    }
  }, 60_000);
});
