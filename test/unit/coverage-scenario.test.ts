// `coverage:` and `profile:` in a scenario: every form the format takes, and the refusals at their line.
import { describe, expect, test } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';

function load(yaml: string): ReturnType<typeof loadScenarioFile>[number] {
  const text = `name: s\nguest: { kernel: k.elf }\nexpect:\n  - console: up\n    id: up\n${yaml}`;
  return loadScenarioFile({ displayPath: 's.yaml', absolutePath: '/x/s.yaml', text })[0]!;
}

function scenario(yaml: string): Scenario {
  const doc = load(yaml);
  if (!doc.ok) throw new Error(doc.issues.map((i) => i.message).join('\n'));
  return doc.scenario;
}

describe('coverage:', () => {
  test('true records it with no checks; false and absence do not', () => {
    expect(scenario('coverage: true\n').coverage).toEqual({ location: { file: 's.yaml', line: 6, col: 11 }, checks: [] });
    expect(scenario('coverage: false\n').coverage).toBeUndefined();
    expect(scenario('').coverage).toBeUndefined();
  });

  test('one check or a list: a glob with its minimum share (default all), functions that must never run', () => {
    expect(scenario("coverage: { functions: 'act_*', min: 90% }\n").coverage!.checks).toEqual([
      { kind: 'functions', glob: 'act_*', minPercent: 90, location: { file: 's.yaml', line: 6, col: 11 } },
    ]);
    const checks = scenario('coverage:\n  - functions: guest_loop_target\n  - never: [panic, "BUG*"]\n').coverage!.checks;
    expect(checks).toEqual([
      { kind: 'functions', glob: 'guest_loop_target', minPercent: 100, location: { file: 's.yaml', line: 7, col: 5 } },
      { kind: 'never', globs: ['panic', 'BUG*'], location: { file: 's.yaml', line: 8, col: 5 } },
    ]);
  });

  test('a share above 100% or without its sign is refused at its line', () => {
    for (const min of ['120%', '90']) {
      const doc = load(`coverage: { functions: 'a*', min: ${min} }\n`);
      expect(doc.ok).toBe(false);
      if (!doc.ok) expect(doc.issues[0]).toMatchObject({ line: 6, path: 'coverage.min' });
    }
  });
});

describe('profile:', () => {
  test('true is the top 10 over the run; a map sets top, stages and spans between timeline points', () => {
    expect(scenario('profile: true\n').profile).toMatchObject({ top: 10, stages: false, between: [] });
    expect(scenario('profile: { top: 3, stages: true, between: [{ from: start, to: up }] }\n').profile).toMatchObject({
      top: 3,
      stages: true,
      between: [{ from: { kind: 'start' }, to: { kind: 'expectation', index: 0, id: 'up' } }],
    });
  });

  test('a span to a point that does not exist is refused, with the close name', () => {
    const doc = load('profile: { between: [{ from: start, to: upp }] }\n');
    expect(doc.ok).toBe(false);
    if (!doc.ok) expect(doc.issues[0]).toMatchObject({ path: 'profile.between[0].to', message: '"upp" is not start, exit, a stage or the id of an expectation or fault.', hint: 'Did you mean "up"?' });
  });

  test('repeated boots are refused: coverage and profiles count one run', () => {
    const doc = load('profile: true\nrepeat: 3\n');
    expect(doc.ok).toBe(false);
    if (!doc.ok) expect(doc.issues[0]).toMatchObject({ line: 7, path: 'repeat', message: 'profile counts one run, and repeat: boots the guest 3 times.' });
  });

  test('a firmware without symbols has no functions to name', () => {
    const doc = loadScenarioFile({ displayPath: 's.yaml', absolutePath: '/x/s.yaml', text: 'name: s\nguest: { firmware: bios.bin }\nexit: any\ncoverage: true\n' })[0]!;
    expect(doc.ok).toBe(false);
    if (!doc.ok) expect(doc.issues[0]).toMatchObject({ line: 4, path: 'guest.symbols', hint: "Add guest.symbols: the firmware's ELF with symbols, or its System.map." });
  });
});
