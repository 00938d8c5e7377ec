import { describe, expect, test } from 'vitest';
import { loadScenarioFile, type LoadedDocument } from '../../src/scenario/load.js';

const BASE = '/project/scenarios';

function load(text: string): LoadedDocument {
  return loadScenarioFile({ displayPath: 'scenarios/fw.yaml', absolutePath: `${BASE}/fw.yaml`, text })[0]!;
}

function guestOf(text: string) {
  const doc = load(text);
  if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
  return doc.scenario.guest;
}

function issuesOf(text: string) {
  const doc = load(text);
  if (doc.ok) throw new Error('loaded without issues');
  return doc.issues;
}

describe('guest.firmware', () => {
  test('a firmware image alone is a guest: -bios, its path resolved against the file, no kernel', () => {
    expect(guestOf('name: f\nguest: { firmware: ../fw/OVMF.fd }\nexit: any\n')).toEqual({ firmware: { kind: 'bios', path: '/project/fw/OVMF.fd' } });
  });

  test('pflash code with vars, and code alone', () => {
    expect(guestOf('name: f\nguest: { firmware: { pflash: CODE.fd, vars: /abs/VARS.fd } }\nexit: any\n').firmware)
      .toEqual({ kind: 'pflash', code: '/project/scenarios/CODE.fd', vars: '/abs/VARS.fd' });
    expect(guestOf('name: f\nguest: { firmware: { pflash: CODE.fd } }\nexit: any\n').firmware).toEqual({ kind: 'pflash', code: '/project/scenarios/CODE.fd' });
  });

  test('a firmware beside a kernel keeps both, and the kernel its initrd and cmdline', () => {
    expect(guestOf('name: f\nguest: { firmware: fw.rom, kernel: k.elf, initrd: i, cmdline: c }\nexit: any\n')).toEqual({
      firmware: { kind: 'bios', path: '/project/scenarios/fw.rom' }, kernel: '/project/scenarios/k.elf', initrd: '/project/scenarios/i', cmdline: 'c',
    });
  });

  test('a firmware from a defaults document serves every scenario of the file', () => {
    const docs = loadScenarioFile({ displayPath: 'fw.yaml', absolutePath: `${BASE}/fw.yaml`, text: 'defaults:\n  guest: { firmware: u-boot.rom }\n---\nname: a\nexit: any\n' });
    expect(docs).toMatchObject([{ ok: true, scenario: { guest: { firmware: { kind: 'bios', path: '/project/scenarios/u-boot.rom' } } } }]);
  });

  test('neither kernel nor firmware: one issue at the guest key naming both', () => {
    const [issue] = issuesOf('name: f\nguest:\n  symbols: s.map\nexit: any\n');
    expect(issue).toMatchObject({ code: 'missing-key', line: 3, col: 3, path: 'guest', message: 'missing required key "kernel" or "firmware".' });
  });

  test('a cmdline with only a firmware is refused at its line', () => {
    const [issue] = issuesOf('name: f\nguest:\n  firmware: fw.rom\n  cmdline: quiet\nexit: any\n');
    expect(issue).toMatchObject({ code: 'invalid-value', line: 4, col: 12, path: 'guest.cmdline' });
    expect(issue!.message).toBe('"cmdline" is for a kernel, and this guest names none (only a firmware).');
  });
});

describe('debugging a guest with no kernel', () => {
  test('addresses need no symbols', () => {
    const doc = load('name: f\nguest: { firmware: fw.rom }\nexit: any\nexpect:\n  - breakpoint: 0xfffffff0\n  - watch: "0x7000"\n');
    expect(doc.ok).toBe(true);
  });

  test('names are fine with guest.symbols', () => {
    const doc = load('name: f\nguest: { firmware: fw.rom, symbols: fw.elf }\nexit: any\nexpect:\n  - breakpoint: board_init_r\n');
    expect(doc).toMatchObject({ ok: true, scenario: { guest: { symbols: '/project/scenarios/fw.elf' } } });
  });

  test('every name is reported at its own line: breakpoints, memory checks, watches, faults', () => {
    const issues = issuesOf([
      'name: f', 'guest: { firmware: fw.rom }', 'exit: any', 'expect:',
      '  - breakpoint: 0x1000', '    memory: [{ at: gd, equals: 0 }]',
      '  - watch: "gd_*"',
      'faults:', '  - function: dram_init', '    return: 0', '',
    ].join('\n'));
    expect(issues.map((i) => [i.path, i.line, i.col])).toEqual([
      ['expect[0].memory[0].at', 6, 20],
      ['expect[1].watch', 7, 12],
      ['faults[0].function', 9, 15],
    ]);
    expect(issues[0]!.message).toBe('"gd" is a symbol name, and this guest has no symbols: it names no kernel and no guest.symbols.');
    expect(issues[0]!.hint).toContain('Add guest.symbols');
  });
});
