// Breakpoints counted by the TCG plugin: which points it takes from the plan, its -plugin argument, and
// batches of hits (one event standing for several) judged by the same rules as stops through the stub.
import { describe, expect, test } from 'vitest';
import { buildDebugPlan } from '../../src/debugger/debug-plan.js';
import { needsStub, splitForPlugin } from '../../src/debugger/plugin-split.js';
import { buildQemuCommand } from '../../src/qemu/argv.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';
import { SymbolTable } from '../../src/symbols/symbol-table.js';
import { formatEvent } from '../../src/timeline/timeline.js';
import type { ScenarioMonitor } from '../../src/match/scenario-monitor.js';
import type { Verdict } from '../../src/match/verdict.js';
import { GUEST_RANGES, sym } from './support/guest-symbols.js';
import { monitorFor } from './support/monitor.js';

const TABLE = new SymbolTable([
  sym('guest_check_value', 0x101140, 0x10),
  sym('guest_loop_target', 0x101150, 0x20),
  sym('guest_loop_counter', 0x1107e0, 8, 'object'),
], { ranges: GUEST_RANGES, source: 'build/guest.elf' });

function scenario(...body: string[]): Scenario {
  const text = ['name: p', 'guest: { kernel: k.elf }', 'exit: any', ...body].join('\n');
  const [doc] = loadScenarioFile({ displayPath: 'p.yaml', absolutePath: '/s/p.yaml', text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

describe('what the plugin counts', () => {
  test('a breakpoint with no check and no fault: the plugin\'s, leaving the stub nothing', () => {
    const { stub, counted } = splitForPlugin(buildDebugPlan(scenario('expect:', "  - breakpoint: 'guest_*'", '    count: 4'), TABLE));
    expect(counted).toEqual([
      { address: 0x101140n, where: 'guest_check_value', expectations: [0] },
      { address: 0x101150n, where: 'guest_loop_target', expectations: [0] },
    ]);
    expect(needsStub(stub)).toBe(false);
  });

  test('a register or memory check, or a fault on the same function, keeps the point a stop', () => {
    const { stub, counted } = splitForPlugin(buildDebugPlan(scenario('expect:',
      '  - breakpoint: guest_check_value', '    registers: { rdi: 0 }',
      '  - breakpoint: guest_loop_target',
      'faults:', '  - { function: guest_loop_target, return: 0 }'), TABLE));
    expect(counted).toEqual([]);
    expect([...stub.code.keys()]).toEqual([0x101140n, 0x101150n]);
    const memory = splitForPlugin(buildDebugPlan(scenario('expect:', '  - breakpoint: guest_check_value', '    memory: [{ at: guest_loop_counter, size: 8, equals: 0 }]', '  - breakpoint: guest_loop_target'), TABLE));
    expect(memory.counted.map((p) => p.where)).toEqual(['guest_loop_target']);
    expect([...memory.stub.code.values()].map((p) => p.where)).toEqual(['guest_check_value']);
  });

  test('watches stay the stub\'s, and so does every breakpoint beside one (QEMU re-runs the watched instruction)', () => {
    const { stub, counted } = splitForPlugin(buildDebugPlan(scenario('expect:', '  - watch: guest_loop_counter', '  - breakpoint: guest_loop_target'), TABLE));
    expect(counted).toEqual([]);
    expect([...stub.code.values()].map((p) => p.where)).toEqual(['guest_loop_target']);
    expect(stub.watches.map((w) => w.where)).toEqual(['guest_loop_counter']);
    expect(needsStub(stub)).toBe(true);
  });

  test('a point a stub expectation waits for (after:) stays a stop, so the gate opens in order with the stub\'s hits', () => {
    const { stub, counted } = splitForPlugin(buildDebugPlan(scenario('expect:',
      '  - id: started', '    breakpoint: guest_loop_target',
      '  - after: started', '    breakpoint: guest_check_value', '    registers: { rdi: 0 }',
      '  - breakpoint: guest_check_value'), TABLE));
    expect(counted).toEqual([]);
    expect([...stub.code.values()].map((p) => p.where).sort()).toEqual(['guest_check_value', 'guest_loop_target']);
    const ungated = splitForPlugin(buildDebugPlan(scenario('expect:', '  - breakpoint: guest_loop_target', '  - breakpoint: guest_check_value', '    registers: { rdi: 0 }'), TABLE));
    expect(ungated.counted.map((p) => p.where)).toEqual(['guest_loop_target']);
  });

  test('a snapshot point\'s breakpoint stays a stop, to hold the guest; so does a resumed run\'s point at the pc it starts at', () => {
    const plan = buildDebugPlan(scenario('expect:', '  - breakpoint: guest_loop_target', '  - breakpoint: guest_check_value'), TABLE);
    const saving = splitForPlugin({ ...plan, holdAt: 1 });
    expect(saving.counted.map((p) => p.where)).toEqual(['guest_loop_target']);
    expect([...saving.stub.code.values()].map((p) => p.where)).toEqual(['guest_check_value']);
    // The pending call's hit was the saving run's: the plugin would count it when its first instruction runs.
    const resumed = splitForPlugin({ ...plan, resumesAt: { vcpu: 0, address: 0x101150n } });
    expect(resumed.counted.map((p) => p.where)).toEqual(['guest_check_value']);
    expect([...resumed.stub.code.values()].map((p) => p.where)).toEqual(['guest_loop_target']);
    // With nothing armed at that pc, the stub still checks where the resumed guest is.
    const elsewhere = splitForPlugin({ ...buildDebugPlan(scenario('expect:', '  - breakpoint: guest_check_value'), TABLE), resumesAt: { vcpu: 0, address: 0x101150n } });
    expect(elsewhere.counted.map((p) => p.where)).toEqual(['guest_check_value']);
    expect(needsStub(elsewhere.stub)).toBe(true);
  });

  test('-plugin names the library, the socket, the points in the plugin\'s order and blocks=on; commas doubled', () => {
    const command = buildQemuCommand(scenario(), { sinks: {}, accel: 'tcg', paused: true, plugin: { library: '/opt/a,b/vitest-guest.so', socket: '/run/vg/plugin.sock', points: [0x101150n, 0x101140n], blocks: true } });
    const at = command.args.indexOf('-plugin');
    expect(command.args[at + 1]).toBe('/opt/a,,b/vitest-guest.so,sock=/run/vg/plugin.sock,points=101140:101150,blocks=on');
    const none = buildQemuCommand(scenario(), { sinks: {}, accel: 'tcg', paused: true, plugin: { library: '/p.so', socket: '/s', points: [], blocks: true } });
    expect(none.args[none.args.indexOf('-plugin') + 1]).toBe('/p.so,sock=/s,blocks=on');
    expect(buildQemuCommand(scenario(), { sinks: {}, accel: 'tcg', paused: true }).args).not.toContain('-plugin');
  });
});

const reason = (verdict: Verdict): string => (verdict.status === 'failed' ? verdict.reason : `(${verdict.status})`);
const detail = (verdict: Verdict): string => (verdict.status === 'passed' ? verdict.detail : `(${verdict.status})`);
const batch = (m: ScenarioMonitor, count: number, t: number, vcpu = 0): void => m.hit({ expectations: [0], where: 'f', vcpu, count }, t);

describe('batches of hits', () => {
  test('an exact count reached over batches holds until the end, then passes', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 10000000');
    batch(m, 4_000_000, 10);
    batch(m, 6_000_000, 20);
    expect(m.verdictOf(0).status).toBe('pending');
    m.exit({ kind: 'poweroff' }, 25);
    expect(detail(m.verdictOf(0))).toBe('hit 10000000 times during the run');
  });

  test('a batch past the maximum fails at once, naming the hits it brought and when they were counted', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 5');
    batch(m, 3, 10);
    batch(m, 4, 20.25);
    expect(reason(m.verdictOf(0))).toBe('hit 7 times, expected 5 times; hits 4-7 were f on vCPU 0, counted by +20.3 ms');
  });

  test('a batch crossing a minimum passes it, naming the count', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { min: 3 }');
    batch(m, 1, 1);
    batch(m, 5, 2);
    expect(detail(m.verdictOf(0))).toBe('hit 6 times, last f on vCPU 0, counted by +2.0 ms');
  });

  test('what comes after an exact count starts once a batch reaches it, even past it in one step', () => {
    const m = monitorFor('exit: poweroff', 'expect:', '  - id: loop', '    breakpoint: f', '    count: { min: 2, max: 9 }', '  - console: done', '    after: loop');
    m.line('console', 'done', 1);
    batch(m, 4, 500);
    m.line('console', 'done', 600);
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 600 });
  });

  test('a vcpu: expectation counts only its vCPU\'s batches; every batch is on the timeline with its count', () => {
    const m = monitorFor('machine: { cpus: 2 }', 'exit: poweroff', 'expect:', '  - breakpoint: f', '    vcpu: 1', '    count: 3');
    batch(m, 3, 5, 0);
    batch(m, 3, 5, 1);
    m.exit({ kind: 'poweroff' }, 6);
    expect(m.verdictOf(0).status).toBe('passed');
    const lines = m.timeline.events.filter((e) => e.kind === 'hit').map(formatEvent);
    expect(lines).toEqual(['+     5.0 ms  hit      f (vCPU 0) x3, counted', '+     5.0 ms  hit      f (vCPU 1) x3, counted (expect[0])']);
  });
});
