import { describe, expect, test } from 'vitest';
import { monitorFor } from './support/monitor.js';
import { formatTimeline } from '../../src/timeline/timeline.js';

// memtest86+'s status rows as it draws them: the test number on row 4, the error count on row 9.
const screenAt = (test: string, errors: number): string[] => {
  const rows = Array.from({ length: 25 }, () => '');
  rows[3] = `L2 Cache:  512KB            | Test #${test}`;
  rows[8] = `Using: Core #0                            | Pass:  0        Errors: ${errors}`;
  return rows;
};

describe('screen expectations', () => {
  test('met by one row; a pattern spanning two rows matches none', () => {
    const m = monitorFor('expect:', "  - screen: 'Errors: 0'", "  - screen: { regex: 'Test #1\\d.*Errors' }");
    m.screen('console', screenAt('9 [Modulo 20]', 0), 5);
    expect(m.verdictOf(0)).toEqual({ status: 'passed', t: 5, detail: 'console screen row 9: "Using: Core #0                            | Pass:  0        Errors: 0" at +5.0 ms' });
    m.screen('console', screenAt('10 [Bit fade test]', 0), 6);
    expect(m.verdictOf(1).status).toBe('pending');
  });

  test('only the channel named: another channel\'s screen or lines do not count', () => {
    const m = monitorFor('expect:', "  - screen: 'ready'", '    channel: virtio');
    m.screen('console', ['ready'], 1);
    m.line('virtio', 'ready', 2);
    expect(m.verdictOf(0).status).toBe('pending');
    m.screen('virtio', ['', 'ready'], 3);
    expect(m.verdictOf(0).status).toBe('passed');
  });

  test('after: the screen that met the one before counts too, since both are on it at once', () => {
    const m = monitorFor('expect:', "  - screen: { regex: 'Test #1\\d ' }", '    id: bit-fade', "  - screen: 'Errors: 0'", '    after: bit-fade');
    m.screen('console', screenAt('9 [Modulo 20]', 0), 5);
    expect(m.verdictOf(1).status).toBe('pending');
    m.screen('console', screenAt('10 [Bit fade test]', 0), 9);
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.verdictOf(1)).toMatchObject({ status: 'passed', t: 9 });
    expect(m.finished).toMatchObject({ reason: 'verdict-known' });
  });

  test('a never on the screen fails at the check that shows it, naming the row', () => {
    const m = monitorFor('expect:', "  - screen: { regex: 'Test #1\\d ' }", "  - never: { screen: { regex: 'Errors: *[1-9]' } }");
    m.screen('console', screenAt('3 [Moving inversions]', 0), 4);
    m.screen('console', screenAt('4 [Moving inversions]', 2), 7);
    expect(m.verdictOf(1)).toEqual({ status: 'failed', t: 7, reason: '/Errors: *[1-9]/ appeared on console at +7.0 ms: screen row 9: "Using: Core #0                            | Pass:  0        Errors: 2"' });
    expect(m.verdictOf(0)).toMatchObject({ status: 'failed', reason: 'not seen: a never pattern matched (expect[1], line 6)' });
  });

  test('an end on the screen ends the run after the same screen is checked against the expectations', () => {
    const m = monitorFor('end: [ { screen: { regex: "Test #1\\\\d " } } ]', 'expect:', "  - screen: 'Errors: 0'", "  - screen: 'never drawn'");
    m.screen('console', screenAt('10 [Bit fade test]', 0), 8);
    expect(m.verdictOf(0).status).toBe('passed');
    expect(m.verdictOf(1)).toMatchObject({ status: 'failed', reason: 'not seen: the guest ended first: console screen row 4: "L2 Cache:  512KB            | Test #10 [Bit fade test]" (end: screen /Test #1\\d /)' });
  });

  test('the timeline shows the row that met an expectation once, not at every later check', () => {
    const m = monitorFor('exit: any', 'expect:', "  - screen: 'Errors: 0'");
    for (const t of [1, 2, 3]) m.screen('console', screenAt(`${t}`, 0), t);
    const lines = formatTimeline(m.timeline, 20).filter((l) => l.includes('Errors: 0'));
    expect(lines).toHaveLength(1);
  });
});
