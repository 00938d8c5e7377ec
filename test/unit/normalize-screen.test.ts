import { describe, expect, test } from 'vitest';
import { oneScenario } from './support/one-scenario.js';

const { ok, issue } = oneScenario('s.yaml', ['name: s', 'guest: { kernel: k.elf }']);

describe('which channels are screens', () => {
  test('a screen item makes its channel a screen of 25 x 80; screens: gives another size', () => {
    expect(ok('expect: [ { screen: "Errors: 0" } ]').screens).toEqual({ console: { rows: 25, cols: 80 } });
    expect(ok('screens: { virtio: { rows: 31, cols: 100 } }', 'expect: [ { screen: ready, channel: virtio }, { console: hello } ]').screens)
      .toEqual({ virtio: { rows: 31, cols: 100 } });
    expect(ok('end: [ { screen: { regex: "Test #1\\\\d" } } ]', 'expect: [ { never: { screen: "Errors: 1", channel: debugcon } } ]').screens)
      .toEqual({ console: { rows: 25, cols: 80 }, debugcon: { rows: 25, cols: 80 } });
    expect(ok('expect: [ { console: hello } ]').screens).toEqual({});
  });

  test('the items as the model holds them', () => {
    const s = ok('end: [ { screen: done, channel: virtio } ]', 'expect:', '  - screen: { regex: "Errors: 0$", flags: i }', '  - never: { screen: "Errors: 1" }');
    expect(s.expectations).toMatchObject([
      { kind: 'screen', channel: 'console', pattern: { kind: 'regex', source: 'Errors: 0$', flags: 'i' } },
      { kind: 'never', channel: 'console', screen: true, pattern: { kind: 'text', text: 'Errors: 1' } },
    ]);
    expect(s.end).toMatchObject([{ kind: 'screen', channel: 'virtio', pattern: { kind: 'text', text: 'done' } }]);
  });
});

describe('lines on a screen are refused at their line', () => {
  test('a line expectation, saying why the channel is a screen and what to write', () => {
    expect(issue('expect:', '  - screen: "Errors: 0"', '  - console: "Test #10"')).toMatchObject({
      code: 'invalid-value', line: 5, col: 5, path: 'expect[1]',
      message: 'a line expectation on console, which this scenario reads as a screen (expect[0] (line 4) reads its screen): its bytes draw rows in place, so the text between newlines pieces together different rows.',
      hint: 'Match one row of the screen with screen: ... (channel: console).',
    });
  });

  test('a never on lines, an end on a line, results from lines; the declaration alone makes a screen', () => {
    expect(issue('screens: { console: {} }', 'expect: [ { never: panic } ]')).toMatchObject({ path: 'expect[0]', message: expect.stringMatching(/^a never on lines on console, which this scenario reads as a screen \(it is under screens:\)/) });
    expect(issue('end: [ { console: done } ]', 'expect: [ { screen: ready } ]')).toMatchObject({ path: 'end[0]', line: 3, hint: 'Match one row of the screen with end: [ { screen: ..., channel: console } ].' });
    expect(issue('expect: [ { screen: ready }, { ktap: all } ]')).toMatchObject({ path: 'expect[1]', message: expect.stringMatching(/^ktap results read from lines on console/) });
  });

  test('lines on the other channels stay lines', () => {
    expect(ok('expect: [ { screen: ready }, { debugcon: hello }, { never: { text: oops, channel: virtio } } ]').screens).toEqual({ console: { rows: 25, cols: 80 } });
  });

  test('never: flags beside a screen pattern, and a bad size, are refused', () => {
    expect(issue('expect: [ { never: { screen: x, flags: i } } ]')).toMatchObject({ path: 'expect[0].never.flags', hint: 'Put them in the screen pattern: screen: { regex: ..., flags: i }.' });
    expect(issue('screens: { console: { rows: 1 } }', 'expect: [ { screen: x } ]')).toMatchObject({ path: 'screens.console.rows' });
    expect(issue('screens: { serial: {} }', 'expect: [ { screen: x } ]')).toMatchObject({ code: 'unknown-key' });
  });
});
