// Counts the plugin reports the moment they are reached (marks=), and `after:` on the times of its batches: a
// batch stamped before lines it arrives after still lets them follow it.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { marksArgument, pluginMarks } from '../../src/instrumentation/plugin-marks.js';
import { buildQemuCommand } from '../../src/qemu/argv.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import type { ScenarioMonitor } from '../../src/match/scenario-monitor.js';
import { RecentEvents } from '../../src/match/event-order.js';
import type { ObservedEvent } from '../../src/match/observed-event.js';
import { monitorFor } from './support/monitor.js';

function scenario(...body: string[]): Scenario {
  const text = ['name: p', 'guest: { kernel: k.elf }', 'exit: any', 'machine: { cpus: 2 }', ...body].join('\n');
  const [doc] = loadScenarioFile({ displayPath: 'p.yaml', absolutePath: '/s/p.yaml', text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

describe('marks', () => {
  test('a counted breakpoint another expectation waits for: its minimum, on its vCPU if it names one', () => {
    const loop = scenario('expect:',
      '  - id: loop', '    breakpoint: f', '    count: 10',
      '  - id: second', '    breakpoint: f', '    vcpu: 1', '    count: { min: 3 }',
      '  - breakpoint: g', '    count: 4',
      '  - { console: a, after: loop }',
      '  - { console: b, after: second }');
    const counted = [{ address: 0x2000n, expectations: [0, 1] }, { address: 0x1000n, expectations: [2] }];
    expect(pluginMarks(counted, loop)).toEqual([{ address: 0x2000n, count: 10 }, { address: 0x2000n, count: 3, vcpu: 1 }]);
  });

  test('none for a count of 0 (met before any hit), for one nothing waits on, and one per count however many wait', () => {
    const leaders = scenario('expect:',
      '  - id: never', '    breakpoint: f', '    count: 0',
      '  - id: twice', '    breakpoint: g', '    count: 2',
      '  - id: again', '    breakpoint: g', '    count: 2',
      '  - { console: a, after: never }',
      '  - { console: b, after: twice }',
      '  - { console: c, after: again }');
    expect(pluginMarks([{ address: 0x10n, expectations: [0] }, { address: 0x20n, expectations: [1, 2] }], leaders)).toEqual([{ address: 0x20n, count: 2 }]);
    expect(pluginMarks([{ address: 0x20n, expectations: [1] }], scenario('expect:', '  - breakpoint: g'))).toEqual([]);
  });

  test('a counted breakpoint a profile span or a timing span starts or ends at; a stage edge is not a count', () => {
    const spans = scenario('expect:',
      '  - { id: begins, breakpoint: f }',
      '  - { id: ends, breakpoint: g, count: { min: 2 } }',
      '  - { id: timed, breakpoint: h, count: { min: 3 } }',
      '  - { id: unused, breakpoint: i }',
      'profile: { between: [{ from: begins, to: ends }, { from: kernel, to: exit }] }',
      'timing:', '  - { from: start, to: timed, max: 1s }', '  - { stage: kernel, max: 1s }');
    const counted = [{ address: 0x10n, expectations: [0] }, { address: 0x20n, expectations: [1] }, { address: 0x30n, expectations: [2] }, { address: 0x40n, expectations: [3] }];
    expect(pluginMarks(counted, spans)).toEqual([{ address: 0x10n, count: 1 }, { address: 0x20n, count: 2 }, { address: 0x30n, count: 3 }]);
  });

  test('marks= lists them by address, then count, then vCPU, after points= on -plugin', () => {
    const marks = [{ address: 0x101290n, count: 5, vcpu: 1 }, { address: 0x101140n, count: 7 }, { address: 0x101290n, count: 5 }];
    expect(marksArgument(marks)).toBe('101140.7:101290.5:101290.5.1');
    const command = buildQemuCommand(scenario(), { sinks: {}, accel: 'tcg', paused: true, plugin: { library: '/p.so', socket: '/s', points: [0x101290n, 0x101140n], marks, blocks: false } });
    expect(command.args[command.args.indexOf('-plugin') + 1]).toBe('/p.so,sock=/s,points=101140:101290,marks=101140.7:101290.5:101290.5.1');
    const unmarked = buildQemuCommand(scenario(), { sinks: {}, accel: 'tcg', paused: true, plugin: { library: '/p.so', socket: '/s', points: [0x101290n], marks: [], blocks: false } });
    expect(unmarked.args[unmarked.args.indexOf('-plugin') + 1]).toBe('/p.so,sock=/s,points=101290');
  });
});

interface Fixture {
  scenario: string[];
  events: ({ pluginFrom: 'start' } | { batch: number; t: number } | { line: string; t: number } | { exit: number; t: number })[];
}

const LATE_MARK: Fixture = JSON.parse(readFileSync(new URL('../fixtures/plugin/late-mark-batch.json', import.meta.url), 'utf8'));

/** Feeds the events as the runner does: a batch is a hit, then how far the plugin's stream has come. */
function replay(fixture: Fixture): ScenarioMonitor {
  const m = monitorFor(...fixture.scenario);
  for (const event of fixture.events) {
    if ('pluginFrom' in event) m.countedUpTo(Number.NEGATIVE_INFINITY);
    else if ('batch' in event) {
      m.hit({ expectations: [0], where: 'guest_loop_target', vcpu: 0, count: event.batch }, event.t);
      m.countedUpTo(event.t);
    } else if ('line' in event) m.line('console', event.line, event.t);
    else m.exit({ kind: 'debug-exit', value: event.exit, status: event.exit * 2 + 1 }, event.t);
  }
  return m;
}

describe('after: a plugin batch that arrives late', () => {
  test('a line read before the batch that met the count, but after its time, follows it (lines read since kept)', () => {
    const m = replay(LATE_MARK);
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 149.3 });
  });

  test('a line read more than the tolerance before the time of the batch that met the count came before it', () => {
    const events = LATE_MARK.events.map((event) => ('line' in event && event.line.startsWith('loop done') ? { ...event, t: 130 } : event));
    const m = replay({ ...LATE_MARK, events });
    expect(m.verdictOf(1)).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^not seen: /) });
  });

  test('recent events go back to the late stream\'s time while it runs, to the tolerance before and after it', () => {
    const recent = new RecentEvents();
    const at = (t: number): ObservedEvent => ({ source: 'console', t, seq: t });
    recent.lateStreamAt(Number.NEGATIVE_INFINITY);
    for (const t of [0, 50, 100]) recent.remember(at(t));
    expect(recent.all.map((e) => e.t)).toEqual([0, 50, 100]);
    recent.lateStreamAt(94.5);
    recent.remember(at(175));
    expect(recent.all.map((e) => e.t)).toEqual([100, 175]);
    recent.lateStreamAt(Number.POSITIVE_INFINITY);
    recent.remember(at(180));
    expect(recent.all.map((e) => e.t)).toEqual([175, 180]);
  });
});
