// Breakpoints, watchpoints and faults through QEMU's GDB stub, on the reference guest.
import { describe, test, expect } from 'vitest';
import { connect } from 'node:net';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type RunResult } from '../../src/runner/run-scenario.js';
import { isolateRuns } from './support/isolated-runs.js';
import { processesMentioning, REFERENCE_KERNEL, waitFor } from './support/host.js';
import { scenarioFrom } from './support/scenario.js';
import { formatTimeline } from '../../src/timeline/timeline.js';
import { LOCATE_MS } from '../../src/runner/debug-run.js';

// These tests are about stops through QEMU's GDB stub: breakpoints that only count would go to the TCG plugin.
process.env.VITEST_GUEST_PLUGIN = 'off';

isolateRuns('debugger');

const statuses = (result: RunResult): string[] => [...result.verdicts, result.exitVerdict].map((v) => v.status);
const reasons = (result: RunResult): string[] => result.verdicts.map((v) => (v.status === 'failed' ? v.reason : ''));

describe('breakpoints', () => {
  test('exact, at-least and glob counts on a function called in a loop', async () => {
    const result = await runScenario(scenarioFrom(`
name: counts
guest: { kernel: reference, cmdline: 'loop=7 check exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: 7
  - breakpoint: 'guest_*'
    count: { min: 8, max: 8 }
  - breakpoint: guest_check_value
`));
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.timeline.events.filter((e) => e.kind === 'hit' && e.where === 'guest_loop_target')).toHaveLength(14);
  });

  test('a glob over names with $ (Free Pascal\'s mangling) takes $ as itself: breakpoints and a fault through it', async () => {
    const result = await runScenario(scenarioFrom(`
name: dollar-names
guest: { kernel: reference, cmdline: 'loop=2 loop=1 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
faults:
  - function: 'REFERENCE_$$_LOOPENDS$*'
    return: 41
    mode: override
    hits: { nth: 2 }
expect:
  - breakpoint: 'REFERENCE_$$_LOOP*'
    count: 4
  - breakpoint: 'REFERENCE_$$_LOOPBEGINS$QWORD'
    count: 2
  - console: 'loop done: 2 calls'
  - console: 'loop done: 41 calls'
`));
    expect(reasons(result)).toEqual(['', '', '', '']);
    expect(result.exitVerdict.status).toBe('passed');
    const hits = result.timeline.events.flatMap((e) => (e.kind === 'hit' ? [e.where] : []));
    expect(new Set(hits)).toEqual(new Set(['REFERENCE_$$_LOOPBEGINS$QWORD', 'REFERENCE_$$_LOOPENDS$QWORD$$QWORD']));
  });

  test('a count above the maximum fails at the hit that broke it', async () => {
    const result = await runScenario(scenarioFrom(`
name: too-many
guest: { kernel: reference, cmdline: 'loop=3 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: { max: 2 }
`));
    expect(reasons(result)[0]).toMatch(/^hit 3 times, expected at most 2 times; hit 3 was guest_loop_target on vCPU 0 at \+[\d.]+ ms$/);
  });

  test('register and memory checks are read at each hit', async () => {
    const result = await runScenario(scenarioFrom(`
name: checks
guest: { kernel: reference, cmdline: 'loop=2 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    registers: { rdi: 0 }
    memory: [ { at: guest_loop_counter, size: 8, equals: 0 } ]
    count: 2
`));
    // The first call passes both checks; the second has rdi = 1, and the check names it.
    expect(reasons(result)[0]).toMatch(/^hit 2 \(guest_loop_target on vCPU 0 at \+[\d.]+ ms\): register rdi is 0x1, expected 0 \(0x0\)$/);
  });

  test('several registers at a hit are read with one g, each at its place in the block', async () => {
    const result = await runScenario(scenarioFrom(`
name: g-checks
guest: { kernel: reference, cmdline: 'loop=1 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    registers: { rdi: 0, cs: 0x8, ss: 0x10, efer: 0x500 }
  - breakpoint: guest_loop_target
    registers: { rdi: 0, cs: 0x10 }
`));
    // cs, ss (32 bits) and efer sit behind rip and eflags: a wrong layout reads other bytes.
    expect(statuses(result)).toEqual(['passed', 'failed', 'passed']);
    expect(reasons(result)[1]).toMatch(/^hit 1 \(guest_loop_target on vCPU 0 at \+[\d.]+ ms\): register cs is 0x8, expected 16 \(0x10\)$/);
  });

  test('a guest that ends before a breakpoint is reached fails that expectation with the end', async () => {
    const result = await runScenario(scenarioFrom(`
name: not-reached
guest: { kernel: reference, cmdline: 'exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_check_value
`));
    expect(reasons(result)[0]).toBe('hit 0 times, expected at least once (the guest ended first: debug-exit value 0 (QEMU status 1))');
  });

  test('a stripped kernel with its symbols in another file, as Unikraft ships a .dbg beside its image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-stripped-'));
    try {
      const stripped = join(dir, 'reference.stripped.elf');
      execFileSync('strip', ['-o', stripped, REFERENCE_KERNEL]);
      const yaml = (symbols: string) => `name: stripped\nguest: { kernel: ${stripped}, cmdline: 'loop=3 exit=0'${symbols} }\ntimeout: 20\nexit: { debug-exit: 0 }\nexpect:\n  - breakpoint: guest_loop_target\n    count: 3\n`;
      const withSymbols = await runScenario(scenarioFrom(yaml(`, symbols: ${REFERENCE_KERNEL}`)));
      expect([...withSymbols.verdicts, withSymbols.exitVerdict].map((v) => v.status)).toEqual(['passed', 'passed']);
      // The stripped image alone has no symbol table to resolve the name in, and the error says what to do.
      const without = await runScenario(scenarioFrom(yaml('')));
      expect(without.finish.reason).toBe('error');
      expect(without.finish.cause).toBe(`symbol file ${stripped}: it has no symbol table (.symtab or .dynsym), so it was stripped; use the unstripped image or its debug file (e.g. Unikraft's .dbg)`);
      expect(without.command).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without an expected exit, the run stops once every count holds, although the guest hangs', async () => {
    const result = await runScenario(scenarioFrom(`
name: hangs-after
guest: { kernel: reference, cmdline: 'loop=2 hang' }
timeout: 60
expect:
  - breakpoint: guest_loop_target
    count: 2
`));
    expect(result.finish.reason).toBe('verdict-known');
    expect(result.durationMs).toBeLessThan(10_000);
  });
});

describe('faults', () => {
  test('skip returns the value at once: the guest prints it and its own assertion fails', async () => {
    const result = await runScenario(scenarioFrom(`
name: skip
guest: { kernel: reference, cmdline: 'check exit=0' }
timeout: 20
exit: { debug-exit: 0 }
faults:
  - function: guest_check_value
    return: -5
expect:
  - console: 'guest_check_value() returned -5'
  - console: { regex: 'to be 0 but was -5 \\.+ \\[ FAILED \\]$' }
  - console: 'error path: recovering from -5'
`));
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
    expect(result.timeline.events.some((e) => e.kind === 'fault' && e.mode === 'skip' && e.call === 1)).toBe(true);
  });

  test('skip at a hit whose checks read a g block writes the three registers back with one G', async () => {
    const result = await runScenario(scenarioFrom(`
name: skip-with-checks
guest: { kernel: reference, cmdline: 'check exit=0' }
timeout: 20
exit: { debug-exit: 0 }
faults:
  - function: guest_check_value
    return: -7
expect:
  - breakpoint: guest_check_value
    registers: { cs: 0x8, ss: 0x10 }
  - console: 'guest_check_value() returned -7'
  - console: 'error path: recovering from -7'
`));
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed', 'passed']);
  });

  test('override lets the function run and replaces the value of the chosen calls only', async () => {
    const result = await runScenario(scenarioFrom(`
name: override
guest: { kernel: reference, cmdline: 'check check check check exit=0' }
timeout: 20
exit: { debug-exit: 0 }
faults:
  - function: guest_check_value
    return: 9
    mode: override
    hits: { first: 2 }
`));
    expect(result.recentLines.console.filter((l) => l.startsWith('guest_check_value() returned'))).toEqual([
      'guest_check_value() returned 9', 'guest_check_value() returned 9', 'guest_check_value() returned 0', 'guest_check_value() returned 0',
    ]);
  });

  test('a seeded probability picks the same calls in every run', async () => {
    const scenario = scenarioFrom(`
name: probability
guest: { kernel: reference, cmdline: 'check check check check check check check check exit=0' }
timeout: 20
exit: { debug-exit: 0 }
faults:
  - function: guest_check_value
    return: 1
    hits: { probability: 0.5, seed: 7 }
`);
    const injected = (result: RunResult) => result.recentLines.console.filter((l) => l.startsWith('guest_check_value() returned')).join('|');
    const first = injected(await runScenario(scenario));
    expect(first).toContain('returned 1');
    expect(first).toContain('returned 0');
    expect(injected(await runScenario(scenario))).toBe(first);
  });
});

describe('watchpoints', () => {
  test('every write to a variable is a hit', async () => {
    const result = await runScenario(scenarioFrom(`
name: watch
guest: { kernel: reference, cmdline: 'loop=6 exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - id: started
    breakpoint: guest_loop_target
  - after: started
    watch: guest_loop_counter
    count: 6
`));
    expect(statuses(result)).toEqual(['passed', 'passed', 'passed']);
  });
});

describe('a run that times out with the guest running', () => {
  test('the guest is stopped and the failure says where each vCPU was', async () => {
    const result = await runScenario(scenarioFrom(`
name: spins
guest: { kernel: reference, cmdline: 'smp=1 spin' }
machine: { cpus: 2 }
timeout: 3
expect:
  - breakpoint: guest_check_value
`));
    // The BSP spins in act_spin; the AP has made its call and sits in hlt in halt_forever, where smp_ap_main ends.
    expect(result.finish).toMatchObject({ reason: 'timeout' });
    expect(reasons(result)[0]).toMatch(/^hit 0 times, expected at least once \(the scenario timeout of 3 s ran out with vCPU 0 at act_spin(\+0x[0-9a-f]+)?, vCPU 1 at halt_forever\+0x[0-9a-f]+\)$/);
    const halted = result.timeline.events.filter((e) => e.kind === 'halted');
    expect(halted.map((e) => e.kind === 'halted' && e.vcpu)).toEqual([0, 1]);
    expect(formatTimeline(result.timeline).at(-2)).toMatch(/^\+\s*[\d.]+ ms  halted   vCPU 0 at act_spin\b/);
    expect(result.durationMs).toBeLessThan(3000 + LOCATE_MS + 1000);
  });
});

describe('bad debugger input', () => {
  test.each([
    ['an unknown symbol, with the closest names', 'breakpoint: guest_loop_targt', /^inline\.yaml:7:5: expect\[0\]\.breakpoint: no symbol named `guest_loop_targt` in .*reference\.elf; did you mean guest_loop_target/],
    ['a glob matching nothing', "breakpoint: 'uk_alloc_*'", /^inline\.yaml:7:5: expect\[0\]\.breakpoint: .*uk_alloc_\*/],
    ['a breakpoint on data', 'breakpoint: guest_loop_counter', /is data \(object\), not a function/],
    ['an address outside the image', "breakpoint: '0x10'", /^inline\.yaml:7:5: expect\[0\]\.breakpoint: .*0x10.*outside/],
  ])('%s is refused before QEMU starts', async (_, line, message) => {
    const result = await runScenario(scenarioFrom(`
name: bad
guest: { kernel: reference, cmdline: 'exit=0' }
timeout: 20
exit: { debug-exit: 0 }
expect:
  - ${line}
`));
    expect(result.finish.reason).toBe('error');
    expect(result.finish.cause).toMatch(message);
    expect(result.command).toBeUndefined();
  });

  test('a fault on a data symbol names the fault and suggests a watch', async () => {
    const result = await runScenario(scenarioFrom(`
name: bad-fault
guest: { kernel: reference, cmdline: 'exit=0' }
timeout: 20
exit: { debug-exit: 0 }
faults:
  - function: guest_loop_counter
    return: 1
`));
    expect(result.finish.cause).toMatch(/^inline\.yaml:7:5: faults\[0\]\.function: `guest_loop_counter` is data .* use a watch expectation$/);
  });

  /** A guest counting a breakpoint for far longer than a test waits: something from outside must end it. */
  const longCountedLoop = (name: string, extra = '') => `
name: ${name}
guest: { kernel: reference, cmdline: 'loop=100000000 exit=0' }
${extra}
timeout: 60
exit: { debug-exit: 0 }
expect:
  - breakpoint: guest_loop_target
    count: { min: 100000000 }
`;

  test('QEMU killed from outside mid-session ends the run with that cause and leaves nothing', async () => {
    const tmp = process.env.TMPDIR!;
    const running = runScenario(scenarioFrom(longCountedLoop('killed')));
    const [qemu] = await waitFor(() => { const pids = processesMentioning(tmp); return pids.length > 0 && pids; }, 10_000, 'QEMU to start');
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the session count some hits
    process.kill(qemu!, 'SIGKILL');
    const result = await running;
    expect(result.finish).toMatchObject({ reason: 'guest-exit', cause: 'the guest ended first: QEMU killed by SIGKILL' });
    expect(reasons(result)[0]).toMatch(/^hit \d+ times, expected at least 100000000 times \(the guest ended first: QEMU killed by SIGKILL\)$/);
    expect(result.exitVerdict).toMatchObject({ status: 'failed', reason: 'expected debug-exit value 0 (QEMU status 1), got QEMU killed by SIGKILL' });
  });

  test('the GDB stub closing while QEMU lives on ends the run saying so, QEMU stopped, nothing left', async () => {
    const tmp = process.env.TMPDIR!;
    // A human monitor of the run's own QEMU, on a socket of this test: `gdbserver none` there closes the stub.
    const monitorPath = join(tmp, 'hmp.sock');
    const running = runScenario(scenarioFrom(longCountedLoop('stub-gone', `machine: { qemu: [-monitor, 'unix:${monitorPath},server=on,wait=off'] }`)));
    await waitFor(() => existsSync(monitorPath), 10_000, 'QEMU to open its monitor');
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the session count some hits
    const hmp = connect(monitorPath);
    hmp.write('gdbserver none\n');
    const started = Date.now();
    const result = await running;
    hmp.destroy();
    rmSync(monitorPath, { force: true });
    expect(result.finish).toMatchObject({ reason: 'error', cause: 'the GDB stub closed the connection while QEMU kept running: breakpoints, watches and faults no longer work' });
    expect(reasons(result)[0]).toBe('not counted: the GDB stub closed the connection while QEMU kept running: breakpoints, watches and faults no longer work');
    // Well before the scenario's 60 s timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
