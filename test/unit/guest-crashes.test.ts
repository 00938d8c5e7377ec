// Crash detection through the guest result parser: when a crash is reported, what its dump holds, which
// case it ends, and that memory stays bounded when the dump never stops.
import { describe, expect, test } from 'vitest';
import { createGuestResultParser, type GuestResultParserOptions } from '../../src/results/guest-result-parser.js';
import type { ResultEvent } from '../../src/results/result-events.js';

const CRIT = '[    0.105127] CRIT: [libkvmplat] ';
const TRAP_DUMP = [
  `${CRIT}<traps.c @   88> Unhandled Trap 14 (page fault), error code=0x0`,
  `${CRIT}<trace.c @   41> RIP: 0000000000134e60 CS: 0008`,
  `${CRIT}<trace.c @   43> RSP: 000000000013fe90 SS: 0010 EFLAGS: 0000000000010046`,
  `${CRIT}<traps.c @  113> Crashing`,
];

function run(lines: string[], options: GuestResultParserOptions = {}): ResultEvent[] {
  const parser = createGuestResultParser(options);
  return [...lines.flatMap((line) => parser.feedLine(line)), ...parser.finish()];
}

const types = (events: ResultEvent[]): string[] => events.map((e) => (e.type === 'case-finished' ? `case ${e.case.case} ${e.case.status}` : e.type));

describe('crash detection', () => {
  test('crash-detected comes with the marker line, before the dump is over', () => {
    const parser = createGuestResultParser();
    parser.feedLine('test: s->a');
    const atMarker = parser.feedLine(TRAP_DUMP[0]!);
    expect(types([...atMarker])).toEqual(['crash-detected', 'case a crashed']);
    expect(atMarker[0]).toEqual({ type: 'crash-detected', kind: 'unhandled-trap', case: 's->a', line: TRAP_DUMP[0] });
    expect(parser.feedLine(TRAP_DUMP[1]!)).toEqual([]);
    expect(types([...parser.feedLine('Unikraft halted')])).toEqual(['crash-completed']);
  });

  test('the dump ends at a line that is not part of it, which is then read as usual', () => {
    const events = run([...TRAP_DUMP, 'test: s->after']);
    expect(events.find((e) => e.type === 'crash-completed')).toEqual({ type: 'crash-completed', crash: { kind: 'unhandled-trap', lines: TRAP_DUMP } });
    expect(types(events)).toEqual(['crash-detected', 'crash-completed', 'case after passed']);
  });

  test('a marker glued after firmware text is found; Unikraft halted alone is no crash', () => {
    expect(types(run([`Booting from ROM..${TRAP_DUMP[0]}`]))).toEqual(['crash-detected', 'crash-completed']);
    expect(run(['[    0.2] Info: [libkvmplat] <shutdown.c @   35> Unikraft halted'])).toEqual([]);
  });

  test('uknofault probes print CRIT page-fault lines without a register dump: no crash', () => {
    const events = run([
      'test: uknofault_testsuite->probe',
      '[    0.151002] CRIT: [libukvmem] <vmem.c @  980> Cannot handle read page fault at 0x0000000000001000 (ec: 0x0): -14',
      '[    0.151221] CRIT: [libukvmem] <vmem_stack.c @  134> Guard page 0x0000000003fe0000 hit!',
    ]);
    expect(types(events)).toEqual(['case probe passed']);
  });

  test('RIP and Crashing lines are markers only at CRIT level', () => {
    expect(run(['RIP: 0000000000134e60 CS: 0008', 'Crashing through the test suite'])).toEqual([]);
    expect(types(run([`${CRIT}<traps.c @  113> Crashing`]))).toEqual(['crash-detected', 'crash-completed']);
  });

  test('a dump that never ends keeps maxCrashLines lines, is completed at the cap, and starts no new crash', () => {
    const parser = createGuestResultParser({ maxCrashLines: 10 });
    const events: ResultEvent[] = [];
    for (let i = 0; i < 10_000; i++) events.push(...parser.feedLine(TRAP_DUMP[i % TRAP_DUMP.length]!));
    events.push(...parser.finish());
    expect(types(events)).toEqual(['crash-detected', 'crash-completed']);
    const completed = events[1] as Extract<ResultEvent, { type: 'crash-completed' }>;
    expect(completed.crash.lines).toHaveLength(10);
    expect(parser.summary()).toMatchObject({ crashes: 1, droppedCrashes: 0 });
  });

  test('past maxCrashes, crashes are counted without events, and their cases still crash', () => {
    const lines = Array.from({ length: 5 }, (_, i) => [`test: s->c${i}`, ...TRAP_DUMP, 'Unikraft halted']).flat();
    const events = run(lines, { maxCrashes: 2 });
    expect(events.filter((e) => e.type === 'crash-completed')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'case-finished' && e.case.status === 'crashed')).toHaveLength(5);
    const parser = createGuestResultParser({ maxCrashes: 2 });
    lines.forEach((line) => parser.feedLine(line));
    expect(parser.summary()).toMatchObject({ crashed: 5, crashes: 5, fatalCrashes: 5, droppedCrashes: 3 });
  });

  test('a Linux dump runs until its end marker or the next test output line', () => {
    const events = run([
      'KTAP version 1', '1..2',
      'BUG: kernel NULL pointer dereference, address: 0000000000000000', 'Oops: 0002 [#1] PREEMPT SMP NOPTI', '', 'Call Trace:',
      '# t1: try faulted', 'not ok 1 t1',
      'WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x1/0x2', 'Call Trace:', '---[ end trace 0000000000000000 ]---', 'RIP: 0010:f+0x1/0x2',
      'ok 2 t2',
    ], { format: 'ktap' });
    const crashes = events.flatMap((e) => (e.type === 'crash-completed' ? [e.crash] : []));
    expect(crashes.map((c) => [c.kind, c.case, c.lines.length])).toEqual([['linux-bug', 'main->#1', 4], ['linux-warning', 'main->#2', 3]]);
    // An oops or a warning does not end the KTAP test: its own result line does.
    expect(types(events).filter((t) => t.startsWith('case'))).toEqual(['case t1 failed', 'case t2 passed']);
  });

  test('a panic inside the dump of a survivable crash is a crash of its own: the guest died', () => {
    const events = run(['KTAP version 1', '1..1', 'BUG: kernel NULL pointer dereference', 'Oops: 0002 [#1] SMP', 'Kernel panic - not syncing: Fatal exception'], { format: 'ktap' });
    expect(types(events)).toEqual(['crash-detected', 'crash-completed', 'crash-detected', 'case #1 crashed', 'crash-completed']);
    const parser = createGuestResultParser();
    ['BUG: x', 'Oops: 0000 [#1]', 'Kernel panic - not syncing: y'].forEach((line) => parser.feedLine(line));
    expect(parser.summary()).toMatchObject({ crashes: 2, fatalCrashes: 1 });
  });

  test('a panic stops KTAP: the running case and the results never printed are crashed', () => {
    const events = run(['KTAP version 1', '1..2', 'ok 1 a', '[    3.5] Kernel panic - not syncing: Fatal exception', 'ok 2 b'], { format: 'ktap' });
    expect(types(events)).toEqual(['case a passed', 'crash-detected', 'case #2 crashed', 'crash-completed']);
  });

  test('the Linux marker kinds', () => {
    const kinds = (line: string) => run([line]).flatMap((e) => (e.type === 'crash-detected' ? [e.kind] : []));
    expect(kinds('[    1.0] Kernel panic - not syncing: VFS: Unable to mount root fs')).toEqual(['linux-panic']);
    expect(kinds('BUG: KASAN: use-after-free in f+0x1/0x2')).toEqual(['kasan']);
    expect(kinds('BUG: unable to handle page fault for address: ffffc90000000000')).toEqual(['linux-bug']);
    expect(kinds('kernel BUG at mm/slub.c:123!')).toEqual(['linux-bug']);
    expect(kinds('general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP')).toEqual(['linux-gpf']);
    expect(kinds('Oops: general protection fault, probably for non-canonical address 0x1: 0000 [#1] SMP')).toEqual(['linux-gpf']);
    expect(kinds('Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP')).toEqual(['linux-oops']);
    expect(kinds('Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000')).toEqual(['linux-oops']);
    expect(kinds('WARNING: CPU: 1 PID: 42 at kernel/sched/core.c:1234 f+0x1/0x2')).toEqual(['linux-warning']);
    // A user-space segfault logged by the kernel, and DEBUG: lines, are not kernel crashes.
    expect(kinds('traps: a.out[123] general protection fault ip:401136 sp:7ffd error:0 in a.out[401000+1000]')).toEqual([]);
    expect(kinds('DEBUG: nothing wrong')).toEqual([]);
    // x86's die() prints `Oops: <code> [#n]`, arm's `Internal error: Oops - BUG: ...`; the bare word is prose.
    expect(kinds('Oops: 0002 [#1] PREEMPT SMP NOPTI')).toEqual(['linux-oops']);
    expect(kinds('Oops - BUG: 0 [#1] ARM')).toEqual(['linux-oops']);
    expect(kinds('Oops on the console is fine here')).toEqual([]);
  });
});
