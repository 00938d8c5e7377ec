// The lcov tracefile: records from a guest's coverage, the text genhtml reads, reading it back and merging.
import { describe, expect, test } from 'vitest';
import type { GuestCoverage } from '../../src/coverage/guest-coverage.js';
import { lcovRecords, mergeRecords, parseLcov, writeLcov } from '../../src/coverage/lcov-tracefile.js';

const COVERAGE: GuestCoverage = {
  image: 'kernel.elf',
  functions: [
    { name: 'main', start: 0x1000n, ran: true, entries: 1, source: { file: '/src/main.c', line: 3 } },
    { name: 'helper', start: 0x1040n, ran: true, entries: 0, source: { file: '/src/main.c', line: 9 } },
    { name: 'unused', start: 0x1080n, ran: false, entries: 0, source: { file: '/src/util.c', line: 1 } },
    { name: '_start', start: 0x100n, ran: true, entries: 1, source: undefined },
    { name: 'idle', start: 0x180n, ran: false, entries: 0, source: undefined },
    { name: 'idle', start: 0x1c0n, ran: true, entries: 2, source: undefined },
  ],
  lines: new Map([
    ['/src/main.c', new Map([[4, 1], [3, 1], [9, 5], [10, 0]])],
    ['/src/util.c', new Map([[1, 0], [2, 0]])],
  ]),
};

const EXPECTED = `TN:boot_shell
SF:/out/kernel.functions
FN:1,_start
FN:2,idle
FN:3,idle@0x1c0
FNDA:1,_start
FNDA:0,idle
FNDA:2,idle@0x1c0
FNF:3
FNH:2
DA:1,1
DA:2,0
DA:3,2
LF:3
LH:2
end_of_record
TN:boot_shell
SF:/src/main.c
FN:3,main
FN:9,helper
FNDA:1,main
FNDA:1,helper
FNF:2
FNH:2
DA:3,1
DA:4,1
DA:9,5
DA:10,0
LF:4
LH:3
end_of_record
TN:boot_shell
SF:/src/util.c
FN:1,unused
FNDA:0,unused
FNF:1
FNH:0
DA:1,0
DA:2,0
LF:2
LH:0
end_of_record
`;

describe('lcov tracefile', () => {
  const { records, listing } = lcovRecords(COVERAGE, '/out/kernel.functions');

  test('source files with their functions and lines; functions without a source line listed in a file of their own', () => {
    expect(writeLcov('boot shell', records)).toBe(EXPECTED);
    expect(listing).toBe('_start 0x100\nidle 0x180\nidle 0x1c0\n');
  });

  test('a function entered elsewhere than its start (helper: ran, its entry never) counts as entered once', () => {
    expect(records.find((r) => r.source === '/src/main.c')!.functions.get('helper')).toEqual({ line: 9, entries: 1 });
  });

  test('reads back what it writes', () => {
    expect(writeLcov('boot_shell', parseLcov(EXPECTED))).toBe(EXPECTED);
  });

  test('merging sums the counts of the same source file and keeps the others', () => {
    const other = parseLcov('TN:x\nSF:/src/util.c\nFN:1,unused\nFNDA:3,unused\nDA:1,3\nDA:7,1\nBRDA:1,0,0,1\nend_of_record\n');
    const merged = mergeRecords(records, other);
    const util = merged.find((r) => r.source === '/src/util.c')!;
    expect(util.functions.get('unused')).toEqual({ line: 1, entries: 3 });
    expect([...util.lines]).toEqual([[1, 3], [2, 0], [7, 1]]);
    expect(merged.map((r) => r.source)).toEqual(['/out/kernel.functions', '/src/main.c', '/src/util.c']);
    expect(merged.find((r) => r.source === '/src/main.c')).toEqual(records.find((r) => r.source === '/src/main.c'));
  });

  test('no coverage writes an empty tracefile and no listing', () => {
    const none = lcovRecords({ image: 'x', functions: [], lines: new Map() }, '/out/x.functions');
    expect(none.listing).toBeUndefined();
    expect(writeLcov('t', none.records)).toBe('');
  });
});
