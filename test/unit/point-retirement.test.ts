// When a breakpoint or watchpoint may leave the guest: the monitor says which expectations still count,
// codePointNeeded combines that with the faults on the same address.
import { describe, expect, test } from 'vitest';
import { buildDebugPlan, type CodePoint } from '../../src/debugger/debug-plan.js';
import { codePointNeeded } from '../../src/debugger/point-retirement.js';
import { lastSelectedCall } from '../../src/debugger/fault-selector.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Fault, Scenario } from '../../src/scenario/model.js';
import { ScenarioMonitor, type DebuggerHit } from '../../src/match/scenario-monitor.js';
import { SymbolTable } from '../../src/symbols/symbol-table.js';
import { GUEST_RANGES, sym } from './support/guest-symbols.js';

const TABLE = new SymbolTable([sym('f', 0x101150, 0x20), sym('g', 0x101200, 0x20)], { ranges: GUEST_RANGES, source: 'k.elf' });
const F = 0x101150n;

function scenario(...body: string[]): Scenario {
  const text = ['name: t', 'guest: { kernel: k.elf }', 'timeout: 10', ...body].join('\n');
  const [doc] = loadScenarioFile({ displayPath: 'r.yaml', absolutePath: '/p/r.yaml', text });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

/** A monitor and the plan's point at f, with the session's decision after each reported hit. */
function setup(...body: string[]) {
  const s = scenario(...body);
  const monitor = new ScenarioMonitor(s);
  const point = buildDebugPlan(s, TABLE).code.get(F)!;
  const calls = new Map<Fault, number>();
  return {
    monitor,
    point,
    /** A stop at f: every expectation on it gets the hit, as the session reports them; each fault a call. */
    stop(t: number, extra: Partial<DebuggerHit> = {}): void {
      for (const { expectation } of point.expectations) monitor.hit({ expectations: [expectation.index], where: 'f', vcpu: 0, ...extra }, t);
      for (const fault of point.faults) calls.set(fault, (calls.get(fault) ?? 0) + 1);
    },
    needed: (): boolean => codePointNeeded(point, (i) => monitor.stillCounts(i), (fault) => calls.get(fault) ?? 0),
  };
}

describe('an expectation stops counting once decided', () => {
  test('at least once: counts until its first hit, then never again', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f');
    expect(r.needed()).toBe(true);
    r.stop(1);
    expect(r.monitor.verdictOf(0).status).toBe('passed');
    expect(r.needed()).toBe(false);
  });

  test('{min: 3}: needed until the third hit', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { min: 3 }');
    r.stop(1);
    r.stop(2);
    expect(r.needed()).toBe(true);
    r.stop(3);
    expect(r.needed()).toBe(false);
  });

  test('an exact count stays needed at its count (one more hit would fail it), and leaves when a hit above it fails it', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 2');
    r.stop(1);
    r.stop(2);
    expect(r.needed()).toBe(true);
    r.stop(3);
    expect(r.monitor.verdictOf(0).status).toBe('failed');
    expect(r.needed()).toBe(false);
  });

  test('{max: N} stays needed with any number of hits up to N', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { max: 2 }');
    expect(r.needed()).toBe(true);
    r.stop(1);
    r.stop(2);
    expect(r.needed()).toBe(true);
  });

  test('count: 0 leaves once its first hit failed it', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 0');
    expect(r.needed()).toBe(true);
    r.stop(1);
    expect(r.monitor.verdictOf(0).status).toBe('failed');
    expect(r.needed()).toBe(false);
  });

  test('checks are read at counted hits only: a {min: 1} with checks is decided at its first hit', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    registers: { rdi: 0 }');
    r.stop(1);
    expect(r.needed()).toBe(false);
    r.stop(2, { checkFailure: 'register rdi is 0x1, expected 0 (0x0)' });
    expect(r.monitor.verdictOf(0).status).toBe('passed');
  });

  test('a failed register check decides a count still below its minimum', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: { min: 5 }', '    registers: { rdi: 0 }');
    r.stop(1);
    expect(r.needed()).toBe(true);
    r.stop(2, { checkFailure: 'register rdi is 0x1, expected 0 (0x0)' });
    expect(r.needed()).toBe(false);
  });

  test('with vcpu: 1, hits on vCPU 0 decide nothing', () => {
    const r = setup('machine: { cpus: 2 }', 'exit: poweroff', 'expect:', '  - breakpoint: f', '    vcpu: 1');
    r.stop(1, { vcpu: 0 });
    r.stop(2, { vcpu: 0 });
    expect(r.needed()).toBe(true);
    r.stop(3, { vcpu: 1 });
    expect(r.needed()).toBe(false);
  });

  test('a follower (after:) counts on while its leader is not met, though it was hit', () => {
    const r = setup('exit: poweroff', 'expect:', '  - id: ready', "    console: 'ready'", '  - after: ready', '    breakpoint: f');
    r.stop(1);
    expect(r.monitor.verdictOf(1).status).toBe('pending');
    expect(r.needed()).toBe(true);
    r.monitor.line('console', 'ready', 2);
    r.stop(3);
    expect(r.monitor.verdictOf(1).status).toBe('passed');
    expect(r.needed()).toBe(false);
  });

  test('a follower that failed with its leader (timeout) counts no more', () => {
    const r = setup('exit: poweroff', 'expect:', '  - id: ready', "    console: 'ready'", '    timeout: 1', '  - after: ready', '    breakpoint: f');
    r.monitor.tick(1500);
    expect(r.monitor.verdictOf(1).status).toBe('failed');
    expect(r.needed()).toBe(false);
  });

  test('a decided leader leaves while its follower (elsewhere) still waits: the follower reads only when it was met', () => {
    const r = setup('exit: poweroff', 'expect:', '  - id: entered', '    breakpoint: f', '  - after: entered', "    console: 'done'");
    r.stop(1);
    expect(r.needed()).toBe(false);
    r.monitor.line('console', 'done', 5);
    expect(r.monitor.verdictOf(1).status).toBe('passed');
  });

  test('several expectations on one address: needed while any of them counts', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '  - breakpoint: f', '    count: { min: 2 }');
    r.stop(1);
    expect([r.monitor.verdictOf(0).status, r.monitor.verdictOf(1).status]).toEqual(['passed', 'pending']);
    expect(r.needed()).toBe(true);
    r.stop(2);
    expect(r.needed()).toBe(false);
  });

  test('once the run is over, nothing counts', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f', '    count: 3');
    r.monitor.exit({ kind: 'poweroff' }, 5);
    expect(r.needed()).toBe(false);
  });

  test('a timing point at a decided {min: 1} is its deciding hit: later hits would not move it', () => {
    const r = setup('exit: poweroff', 'expect:', '  - id: entered', '    breakpoint: f', 'timing:', '  - from: start', '    to: entered', '    max: 50');
    r.stop(40);
    expect(r.needed()).toBe(false);
    // Were the point left in, these would be reported; they must not change the figure.
    r.stop(70);
    r.stop(90);
    r.monitor.exit({ kind: 'poweroff' }, 100);
    expect(r.monitor.verdictOf('timing-0')).toMatchObject({ status: 'passed', detail: 'start → entered: 40.0 ms (host clock)' });
  });

  test('a timing point at an exact count keeps the point to the end (its last counted hit)', () => {
    const r = setup('exit: poweroff', 'expect:', '  - id: entered', '    breakpoint: f', '    count: { min: 1, max: 5 }', 'timing:', '  - from: start', '    to: entered', '    max: 50');
    r.stop(40);
    expect(r.needed()).toBe(true);
    r.stop(70);
    r.monitor.exit({ kind: 'poweroff' }, 100);
    expect(r.monitor.verdictOf('timing-0')).toMatchObject({ status: 'failed', reason: 'start → entered: 70.0 ms, expected at most 50 ms (host clock)' });
  });
});

describe('faults on the same address', () => {
  const faulted = (hits: string): ReturnType<typeof setup> =>
    setup('exit: poweroff', 'expect:', '  - breakpoint: f', 'faults:', '  - function: f', '    return: 0', `    hits: ${hits}`);

  test('nth: the point stays, past a decided breakpoint, until the nth call', () => {
    const r = faulted('{ nth: 3 }');
    r.stop(1);
    r.stop(2);
    expect(r.needed()).toBe(true);
    r.stop(3);
    expect(r.needed()).toBe(false);
  });

  test('first: until the last of the first N calls', () => {
    const r = faulted('{ first: 2 }');
    r.stop(1);
    expect(r.needed()).toBe(true);
    r.stop(2);
    expect(r.needed()).toBe(false);
  });

  test('all and probability: for the whole run', () => {
    for (const hits of ['all', '{ probability: 0.5, seed: 1 }']) {
      const r = faulted(hits);
      for (let t = 1; t <= 50; t++) r.stop(t);
      expect(r.needed()).toBe(true);
    }
  });

  test('a fault alone, with no expectation on its address', () => {
    const s = scenario('exit: poweroff', 'faults:', '  - function: f', '    return: 0', '    hits: { nth: 2 }');
    const point: CodePoint = buildDebugPlan(s, TABLE).code.get(F)!;
    expect([1, 2].map((calls) => codePointNeeded(point, () => false, () => calls))).toEqual([true, false]);
  });

  test('lastSelectedCall', () => {
    expect([{ kind: 'nth', n: 4 }, { kind: 'first', n: 2 }, { kind: 'all' }, { kind: 'probability', probability: 1, seed: 0 }].map((hits) => lastSelectedCall(hits as Fault['hits']))).toEqual([4, 2, undefined, undefined]);
  });
});

describe('the timeline says when a point left', () => {
  test('disarmed is an event; after the run is over nothing is added', () => {
    const r = setup('exit: poweroff', 'expect:', '  - breakpoint: f');
    r.stop(1);
    r.monitor.disarmed('f', 1.2);
    r.monitor.exit({ kind: 'poweroff' }, 5);
    r.monitor.disarmed('g', 6);
    expect(r.monitor.timeline.events.filter((e) => e.kind === 'disarmed')).toEqual([{ kind: 'disarmed', t: 1.2, where: 'f' }]);
  });
});
