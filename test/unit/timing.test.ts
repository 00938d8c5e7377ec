// Timing assertions: the format, and how they are judged from what a run recorded.
import { describe, expect, test } from 'vitest';
import { guestTimeMs, judgeTiming, timingTitle, type TimingFacts } from '../../src/match/timing.js';
import type { StageName } from '../../src/scenario/stages.js';
import { monitorFor } from './support/monitor.js';
import { oneScenario } from './support/one-scenario.js';

const { ok, issue } = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf }', 'exit: any', 'expect:', '  - id: ready', '    console: ready']);

function facts(extra: Partial<TimingFacts> = {}): TimingFacts {
  return {
    stageStarts: new Map<StageName, number>([['firmware', 5], ['bootloader', 25], ['kernel', 65], ['userspace', 215]]),
    stageEnds: new Map<StageName, number>([['firmware', 25], ['bootloader', 65], ['kernel', 215]]),
    exitAt: 250,
    runEnd: 250,
    metAt: (index) => (index === 0 ? 230 : undefined),
    metLine: () => undefined,
    faultAt: () => undefined,
    ...extra,
  };
}

describe('timing in the scenario', () => {
  test('spans, stages, units and percentages', () => {
    expect(ok('timing:', '  - from: start', '    to: userspace', '    max: 2s', '  - stage: kernel', '    min: 100ms', '    max: 40%', '  - from: kernel', '    to: ready', '    min: 150').timing).toEqual([
      { index: 0, span: { kind: 'between', from: { kind: 'start' }, to: { kind: 'stage', stage: 'userspace' } }, maxMs: 2000, clock: 'host', statistic: 'median', location: { file: 't.yaml', line: 8, col: 5 } },
      { index: 1, span: { kind: 'stage', stage: 'kernel' }, minMs: 100, maxPercent: 40, clock: 'host', statistic: 'median', location: { file: 't.yaml', line: 11, col: 5 } },
      { index: 2, span: { kind: 'between', from: { kind: 'stage', stage: 'kernel' }, to: { kind: 'expectation', index: 0, id: 'ready' } }, minMs: 150, clock: 'host', statistic: 'median', location: { file: 't.yaml', line: 14, col: 5 } },
    ]);
  });

  test('errors at their line', () => {
    expect(issue('timing:', '  - from: start', '    to: usrspace', '    max: 1s')).toMatchObject({ path: 'timing[0].to', line: 9, message: '"usrspace" is not start, exit, a stage or the id of an expectation or fault.', hint: 'Did you mean "userspace"?' });
    expect(issue('timing:', '  - from: start', '    max: 1s')).toMatchObject({ path: 'timing[0]', message: 'missing "to".' });
    expect(issue('timing:', '  - stage: kernel', '    from: start', '    to: exit', '    max: 1s')).toMatchObject({ message: 'expected either from and to, or stage.' });
    expect(issue('timing:', '  - stage: kernel')).toMatchObject({ message: 'expected max, min, baseline, or several of them.' });
    expect(issue('timing:', '  - stage: kernel', '    min: 2s', '    max: 1s')).toMatchObject({ path: 'timing[0].min', message: 'min (2000 ms) is above max (1000 ms).' });
    expect(issue('timing:', '  - stage: kernel', '    max: 1 minute')).toMatchObject({ path: 'timing[0].max' });
    expect(issue('timing:', '  - stage: boot', '    max: 1s')).toMatchObject({ path: 'timing[0].stage' });
    const ambiguous = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf }', 'exit: any', 'expect:', '  - id: kernel', '    console: booted']);
    expect(ambiguous.issue('timing:', '  - from: start', '    to: kernel', '    max: 1s')).toMatchObject({ path: 'timing[0].to', message: '"kernel" is both a stage and the id of an expectation or fault.', hint: 'Rename the id.' });
  });
});

describe('judging timing', () => {
  const [between, stage, fromKernel] = ok('timing:', '  - from: start', '    to: userspace', '    max: 200', '  - stage: kernel', '    min: 100ms', '    max: 40%', '  - from: kernel', '    to: ready', '    min: 170').timing;

  test('figures, limits and the clock they come from', () => {
    expect(judgeTiming(between!, facts())).toEqual({ status: 'failed', t: 250, reason: 'start → userspace: 215.0 ms, expected at most 200 ms (host clock)' });
    expect(judgeTiming(stage!, facts())).toEqual({ status: 'failed', t: 250, reason: 'stage kernel: 150.0 ms, 60.0% of the 250.0 ms run, expected at most 40% (host clock)' });
    expect(judgeTiming(stage!, facts({ exitAt: 500, runEnd: 500 }))).toEqual({ status: 'passed', t: 500, detail: 'stage kernel: 150.0 ms (30.0% of the run) (host clock)' });
    expect(judgeTiming(fromKernel!, facts())).toEqual({ status: 'failed', t: 250, reason: 'kernel → ready: 165.0 ms, expected at least 170 ms (host clock)' });
  });

  test('a figure just past its limit shows the digits that put it there, never the limit itself', () => {
    const starts = (userspace: number, kernel = 65): Map<StageName, number> => new Map<StageName, number>([['kernel', kernel], ['userspace', userspace]]);
    expect(judgeTiming(between!, facts({ stageStarts: starts(200.04) }))).toMatchObject({ reason: 'start → userspace: 200.04 ms, expected at most 200 ms (host clock)' });
    expect(judgeTiming(between!, facts({ stageStarts: starts(200.0004) }))).toMatchObject({ reason: 'start → userspace: 200.0004 ms, expected at most 200 ms (host clock)' });
    expect(judgeTiming(fromKernel!, facts({ metAt: () => 65 + 169.96 }))).toMatchObject({ reason: 'kernel → ready: 169.96 ms, expected at least 170 ms (host clock)' });
    // 100.05 ms of a 250 ms run is 40.02%: over 40%, though one decimal would print 40.0%.
    expect(judgeTiming(stage!, facts({ stageStarts: starts(215, 65), stageEnds: new Map<StageName, number>([['kernel', 165.05]]) }))).toMatchObject({ reason: 'stage kernel: 100.1 ms, 40.02% of the 250.0 ms run, expected at most 40% (host clock)' });
  });

  test('a point that never came is not measured, and says why', () => {
    expect(judgeTiming(between!, facts({ stageStarts: new Map() }))).toMatchObject({ status: 'failed', reason: 'not measured: stage userspace never started (no 0x60-0x7f stage code)' });
    expect(judgeTiming(fromKernel!, facts({ metAt: () => undefined }))).toMatchObject({ reason: 'not measured: expect[0] (id ready) was not met' });
  });

  test('titles', () => {
    expect([between!, stage!, fromKernel!].map(timingTitle)).toEqual([
      'timing start → userspace at most 200 ms', 'timing stage kernel at least 100 ms, at most 40% of the run', 'timing kernel → ready at least 170 ms',
    ]);
  });

  test('the monitor records stages from port 0x80 codes and judges at the end', () => {
    const m = monitorFor('exit: any', 'timing:', '  - stage: kernel', '    max: 100', '  - stage: userspace', '    max: 1s');
    for (const [code, t] of [[0x00, 1], [0x01, 2], [0x40, 10], [0x42, 50], [0x60, 130]] as const) m.code(code, t);
    m.exit({ kind: 'poweroff' }, 140);
    expect(m.stageSpans()).toEqual([{ stage: 'firmware', start: 1, end: 10 }, { stage: 'kernel', start: 10, end: 130 }, { stage: 'userspace', start: 130 }]);
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'stage kernel: 120.0 ms, expected at most 100 ms (host clock)' });
    expect(m.verdictOf('timing-1')).toMatchObject({ status: 'passed', detail: 'stage userspace: 10.0 ms (host clock)' });
  });
});

describe('faults as points', () => {
  const faulty = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf, symbols: k.elf }', 'exit: any', 'faults:', '  - id: flush-fails', '    function: i8042_flush', '    return: 1', 'expect:', '  - id: absent', "    console: 'No controller found'"]);

  test('a fault with an id is a point: its first injection', () => {
    const [span] = faulty.ok('timing:', '  - from: flush-fails', '    to: absent', '    max: 50').timing;
    expect(span!.span).toEqual({ kind: 'between', from: { kind: 'fault', index: 0, id: 'flush-fails' }, to: { kind: 'expectation', index: 0, id: 'absent' } });
    const m = monitorFor('exit: any', 'faults:', '  - id: flush-fails', '    function: i8042_flush', '    return: 1', 'expect:', '  - id: absent', "    console: 'No controller found'", 'timing:', '  - from: flush-fails', '    to: absent', '    max: 50', '  - from: start', '    to: flush-fails', '    max: 5');
    m.fault(0, 'i8042_flush', '1', 'skip', 1, 10);
    m.fault(0, 'i8042_flush', '1', 'skip', 2, 20);
    m.line('console', 'i8042: No controller found', 70);
    m.exit({ kind: 'poweroff' }, 80);
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'flush-fails → absent: 60.0 ms, expected at most 50 ms (host clock)' });
    expect(m.verdictOf('timing-1')).toMatchObject({ status: 'failed', reason: 'start → flush-fails: 10.0 ms, expected at most 5 ms (host clock)' });
  });

  test('a fault never injected is not measured; faults have no guest time; an id may not name both', () => {
    const m = monitorFor('exit: any', 'faults:', '  - id: f', '    function: g', '    return: 1', 'timing:', '  - from: start', '    to: f', '    max: 5');
    m.exit({ kind: 'poweroff' }, 80);
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'not measured: faults[0] (id f) was never injected' });
    expect(faulty.issue('timing:', '  - from: flush-fails', '    to: absent', '    clock: guest', '    max: 50')).toMatchObject({ path: 'timing[0].clock', message: 'fault flush-fails has no guest time: only expectations met by a line (and start, the guest clock\'s zero) do.' });
    const clash = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf }', 'exit: any', 'faults:', '  - id: x', '    function: g', '    return: 1', 'expect:', '  - id: x', '    console: y']);
    expect(clash.issue('timing:', '  - from: start', '    to: x', '    max: 5')).toMatchObject({ path: 'timing[0].to', message: '"x" is the id of both an expectation and a fault.' });
  });
});

describe('the guest clock', () => {
  test('the [ seconds.micros ] prefix Linux and Unikraft print, in ms', () => {
    expect(guestTimeMs('[    2.170232] x86/mm: Checked W+X mappings')).toBeCloseTo(2170.232, 6);
    expect(guestTimeMs('[    0.104210] Info: [libuktest] <test.c @  80>')).toBeCloseTo(104.21, 6);
    expect(guestTimeMs('[12345.5] x')).toBeCloseTo(12345500, 3);
    expect(guestTimeMs('no time [ 1.0]')).toBeUndefined();
  });

  test('only points that are lines (and start) have guest time; shares need the host clock', () => {
    const g = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf }', 'exit: any', 'expect:', '  - id: up', '    console: up']);
    expect(g.ok('timing:', '  - from: start', '    to: up', '    clock: guest', '    max: 2s').timing[0]).toMatchObject({ clock: 'guest', maxMs: 2000 });
    expect(g.issue('timing:', '  - from: kernel', '    to: up', '    clock: guest', '    max: 2s')).toMatchObject({ path: 'timing[0].clock', message: 'kernel has no guest time: only expectations met by a line (and start, the guest clock\'s zero) do.' });
    expect(g.issue('timing:', '  - stage: kernel', '    clock: guest', '    max: 2s')).toMatchObject({ path: 'timing[0].clock' });
  });

  test('the monitor keeps the guest time of the line that met an expectation, and judges with it', () => {
    const m = monitorFor('exit: any', 'expect:', '  - id: version', "    console: 'Linux version'", '  - id: init', "    console: 'Run /init'", 'timing:', '  - from: version', '    to: init', '    clock: guest', '    max: 2s', '  - from: version', '    to: init', '    max: 2s');
    m.line('console', '[    0.000000] Linux version 6.1.0-56-amd64', 100);
    m.line('console', '[    2.345678] Run /init as init process', 5100);
    m.exit({ kind: 'poweroff' }, 6000);
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'version → init: 2345.678 ms, expected at most 2000 ms (guest clock)' });
    expect(m.verdictOf('timing-1')).toMatchObject({ status: 'failed', reason: 'version → init: 5000.0 ms, expected at most 2000 ms (host clock)' });
  });

  test('a line without a time prefix cannot be measured on the guest clock', () => {
    const m = monitorFor('exit: any', 'expect:', '  - id: up', '    console: up', 'timing:', '  - from: start', '    to: up', '    clock: guest', '    max: 2s');
    m.line('console', 'up', 10);
    m.exit({ kind: 'poweroff' }, 20);
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'not measured: the line that met expect[0] (id up) has no [ seconds ] time prefix' });
  });

  // Debian's self-test modules: the time from the first load to the last module's verdict line.
  const selftests = (...lines: string[]) => {
    const m = monitorFor('exit: any', 'formats:', '  modules:', "    line: 'selftests: (?<case>\\w+): (?<result>ok|FAIL)'", '    passed: [ok]', '    failed: [FAIL]',
      'expect:', '  - id: first', "    console: 'selftests: loading'", '  - id: verdicts', '    results: all', '    format: modules',
      'timing:', '  - from: first', '    to: verdicts', '    clock: guest', '    max: 2s');
    lines.forEach((line, i) => m.line('console', line, 10 * (i + 1)));
    m.exit({ kind: 'poweroff' }, 1000);
    return m.verdictOf('timing-0');
  };

  test('a results expectation is a point at the line of its last counted case, on the guest clock too', () => {
    expect(selftests('[    1.000000] selftests: loading', '[    1.250000] selftests: test_a: ok', '[    3.500000] selftests: test_b: ok'))
      .toMatchObject({ status: 'failed', reason: 'first → verdicts: 2500.000 ms, expected at most 2000 ms (guest clock)' });
    expect(selftests('[    1.000000] selftests: loading', '[    1.250000] selftests: test_a: ok')).toMatchObject({ status: 'passed', detail: 'first → verdicts: 250.000 ms (guest clock)' });
  });

  test('a point met by no line says so, rather than blaming a time prefix', () => {
    // A uktest case has no end marker: the last one is ended by the exit, not by a line.
    const m = monitorFor('exit: any', 'expect:', '  - id: cases', '    uktest: all', 'timing:', '  - from: start', '    to: cases', '    clock: guest', '    max: 2s');
    m.line('console', '[    0.100000] test: suite->only_case', 10);
    m.exit({ kind: 'poweroff' }, 20);
    expect(m.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'not measured: expect[0] (id cases) was not met by a line, so it has no guest time' });
  });
});

describe('a guest clock of the scenario\'s own', () => {
  const g = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf }', 'exit: any', 'expect:', '  - id: a', '    console: a', '  - id: b', '    console: b']);
  const span = (clock: string) => g.ok('timing:', '  - from: a', '    to: b', `    clock: ${clock}`, '    max: 100ms').timing[0]!;

  test('a named group gives the unit: s, ms, us, ns, or ticks at hz', () => {
    expect(span("{ regex: 'tsc=(?<ticks>\\d+)', hz: 2000000000 }")).toMatchObject({ clock: 'guest', guestClock: { regex: 'tsc=(?<ticks>\\d+)', unit: 'ticks', hz: 2e9 } });
    const at = (clock: string, from: string, to: string) => {
      const m = monitorFor('exit: any', 'expect:', '  - id: a', "    console: { regex: '^a' }", '  - id: b', "    console: { regex: '^b' }", 'timing:', '  - from: a', '    to: b', `    clock: ${clock}`, '    max: 1000ms');
      m.line('console', from, 1);
      m.line('console', to, 2);
      m.exit({ kind: 'poweroff' }, 3);
      return m.verdictOf('timing-0');
    };
    expect(at("{ regex: 'tsc=(?<ticks>\\d+)', hz: 2000000000 }", 'a tsc=1000000000', 'b tsc=1500000000')).toMatchObject({ status: 'passed', detail: 'a → b: 250.000 ms (guest clock)' });
    expect(at("{ regex: 'at (?<us>\\d+) us' }", 'a at 1000 us', 'b at 251000 us')).toMatchObject({ status: 'passed', detail: 'a → b: 250.000 ms (guest clock)' });
    expect(at("{ regex: 'up (?<s>[\\d.]+)s' }", 'a up 1.5s', 'b up 3.25s')).toMatchObject({ status: 'failed', reason: 'a → b: 1750.000 ms, expected at most 1000 ms (guest clock)' });
    expect(at("{ regex: '(?<ns>\\d+) ns' }", 'a 10 ns', 'b no time here')).toMatchObject({ status: 'failed', reason: 'not measured: the line that met expect[1] (id b) has no time for the clock /(?<ns>\\d+) ns/' });
  });

  test('what does not make a clock is refused at its line', () => {
    expect(g.issue('timing:', '  - from: a', '    to: b', "    clock: { regex: 'tsc=(\\d+)' }", '    max: 1s')).toMatchObject({ path: 'timing[0].clock.regex', line: 12, message: 'expected one named group for the time, one of s, ms, us, ns, ticks; got none.' });
    expect(g.issue('timing:', '  - from: a', '    to: b', "    clock: { regex: '(?<s>\\d+) (?<ms>\\d+)' }", '    max: 1s')).toMatchObject({ message: 'expected one named group for the time, one of s, ms, us, ns, ticks; got s, ms.' });
    expect(g.issue('timing:', '  - from: a', '    to: b', "    clock: { regex: 'tsc=(?<ticks>\\d+)' }", '    max: 1s')).toMatchObject({ path: 'timing[0].clock', message: 'a ticks group needs hz: how many ticks a second.' });
    expect(g.issue('timing:', '  - from: a', '    to: b', "    clock: { regex: '(?<ms>\\d+)', hz: 10 }", '    max: 1s')).toMatchObject({ message: 'hz goes with a ticks group; ms is a time already.' });
    expect(g.issue('timing:', '  - from: a', '    to: b', "    clock: { regex: '(?<ms>[' }", '    max: 1s')).toMatchObject({ path: 'timing[0].clock.regex', message: expect.stringMatching(/^the regular expression does not compile/) });
    expect(g.issue('timing:', '  - stage: kernel', "    clock: { regex: '(?<ms>\\d+)' }", '    max: 1s')).toMatchObject({ path: 'timing[0].clock', message: expect.stringMatching(/^stage kernel has no guest time/) });
  });
});

describe('repeated runs', () => {
  const [median] = ok('timing:', '  - stage: kernel', '    max: 100').timing;
  const [p90] = ok('timing:', '  - stage: kernel', '    statistic: p90', '    max: 100').timing;
  const runs = (...ms: number[]) => ms.map((v) => ({ ms: v, percent: v / 10, wholeMs: 1000 }));

  test('statistics: median (the mean of the middle two for an even count), p90 by nearest rank, max', async () => {
    const { statistic } = await import('../../src/match/timing.js');
    expect(statistic('median', [5, 1, 3])).toBe(3);
    expect(statistic('median', [4, 1, 3, 2])).toBe(2.5);
    expect(statistic('p90', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(9);
    expect(statistic('p90', [1, 2, 3])).toBe(3);
    expect(statistic('max', [2, 9, 4])).toBe(9);
  });

  test('the figure is the statistic over the runs, with the spread', async () => {
    const { judgeMeasurements } = await import('../../src/match/timing.js');
    expect(judgeMeasurements(median!, runs(90, 95, 130), 1)).toEqual({ status: 'passed', t: 1, detail: 'stage kernel: median of 3 runs 95.0 ms, spread 90.0-130.0 ms (host clock)' });
    expect(judgeMeasurements(p90!, runs(90, 95, 130), 1)).toEqual({ status: 'failed', t: 1, reason: 'stage kernel: p90 of 3 runs 130.0 ms, spread 90.0-130.0 ms, expected at most 100 ms (host clock)' });
    expect(judgeMeasurements(median!, [...runs(90), { missing: 'stage kernel never started' }], 1)).toMatchObject({ status: 'failed', reason: 'not measured in run 2 of 2: stage kernel never started' });
  });
});
