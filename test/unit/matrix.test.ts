import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, type LoadedDocument } from '../../src/scenario/load.js';
import { formatIssue } from '../../src/scenario/issues.js';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { oneScenario } from './support/one-scenario.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

function load(name: string): LoadedDocument[] {
  return loadScenarioFile({ displayPath: `scenarios/${name}`, absolutePath: `/project/scenarios/${name}`, text: readFileSync(`${FIXTURES}${name}`, 'utf8') });
}

const failures = (docs: LoadedDocument[]) => docs.flatMap((doc) => (doc.ok ? [] : [doc]));

describe('matrix: one scenario per architecture', () => {
  test('each run is named NAME (arch), has machine.arch set and ${arch} replaced in every guest path and the cmdline', () => {
    const docs = load('valid/matrix.yaml');
    expect(failures(docs)).toEqual([]);
    const runs = docs.map((doc) => (doc.ok ? doc.scenario : undefined));
    expect(runs.map((s) => [s!.name, s!.machine.arch, s!.machine.type])).toEqual([
      ['boots (x86_64)', 'x86_64', 'pc'], ['boots (aarch64)', 'aarch64', 'virt'], ['boots (riscv64)', 'riscv64', 'virt'],
    ]);
    expect(runs[1]!.guest).toEqual({
      kernel: '/project/scenarios/guests/build/aarch64/kernel.elf', initrd: '/project/scenarios/valid/initrd-aarch64.img',
      symbols: '/project/scenarios/valid/sym/aarch64.map', cmdline: 'arch=aarch64 quiet', firmware: undefined,
    });
    // Every run points at the lines of the one document it came from.
    expect(new Set(runs.map((s) => JSON.stringify([s!.location, s!.expectations.map((e) => e.location)]))).size).toBe(1);
    expect(runs[2]!.machine.debugExit).toBeNull();
  });

  test('a matrix in the defaults document applies to later scenarios; a scenario\'s own machine.arch or matrix replaces it', () => {
    const docs = load('valid/matrix-defaults.yaml');
    expect(failures(docs)).toEqual([]);
    expect(docs.map((doc) => doc.ok && [doc.scenario.name, doc.scenario.machine.arch, doc.scenario.guest.kernel, doc.scenario.guest.cmdline])).toEqual([
      ['everywhere (aarch64)', 'aarch64', '/project/scenarios/valid/build/aarch64/k.elf', undefined],
      ['everywhere (riscv64)', 'riscv64', '/project/scenarios/valid/build/riscv64/k.elf', undefined],
      ['x86 only', 'x86_64', '/project/scenarios/valid/build/x86_64/k.elf', undefined],
      ['own matrix (riscv64)', 'riscv64', '/project/scenarios/valid/build/riscv64/k.elf', 'console=riscv64'],
    ]);
  });

  test('without a matrix, ${arch} is the scenario\'s own architecture', () => {
    const { ok } = oneScenario('a.yaml', ['name: a', 'guest: { kernel: "build/${arch}/k.elf" }', 'exit: any']);
    expect(ok('machine: { arch: riscv64 }').guest.kernel).toBe('/p/build/riscv64/k.elf');
    expect(ok().guest.kernel).toBe('/p/build/x86_64/k.elf');
  });

  test('${arch} in firmware paths, the ROM image and the flash pair alike', () => {
    const { ok } = oneScenario('a.yaml', ['name: a', 'matrix: { arch: [aarch64] }', 'exit: any']);
    expect(ok('guest: { firmware: "fw/${arch}.rom" }').guest.firmware).toEqual({ kind: 'bios', path: '/p/fw/aarch64.rom' });
    expect(ok('guest: { firmware: { pflash: "${arch}/code.fd", vars: "${arch}/vars.fd" } }').guest.firmware)
      .toEqual({ kind: 'pflash', code: '/p/aarch64/code.fd', vars: '/p/aarch64/vars.fd' });
  });
});

describe('matrix: refused at the YAML line', () => {
  const { issue } = oneScenario('m.yaml', ['name: m', 'guest: { kernel: k.elf }']);

  test('an architecture by another of its names gets the name to use; an unknown one the list', () => {
    expect(issue('matrix: { arch: [x86_64, arm64] }', 'exit: any')).toMatchObject({
      line: 3, col: 26, path: 'matrix.arch[1]', message: 'expected one of x86_64, aarch64, riscv64, got "arm64".', hint: 'Did you mean "aarch64"?',
    });
    expect(issue('matrix: { arch: [amd64] }', 'exit: any').hint).toBe('Did you mean "x86_64"?');
    expect(issue('matrix: { arch: [riscv] }', 'exit: any').hint).toBe('Did you mean "riscv64"?');
    expect(issue('machine: { arch: ARM64 }', 'exit: any').hint).toBe('Did you mean "aarch64"?');
    expect(issue('matrix: { arch: [sparc64] }', 'exit: any').hint).toBeUndefined();
  });

  test('an empty list, a repeated architecture, a matrix without arch', () => {
    expect(issue('matrix: { arch: [] }', 'exit: any')).toMatchObject({ line: 3, col: 17, path: 'matrix.arch', message: 'expected at least 1 item(s).' });
    expect(issue('matrix: { arch: [riscv64, aarch64, riscv64] }', 'exit: any')).toMatchObject({
      line: 3, col: 36, path: 'matrix.arch[2]', message: '"riscv64" is listed twice (first at line 3).', hint: 'List each value once.',
    });
    expect(issue('matrix: {}', 'exit: any')).toMatchObject({ path: 'matrix', message: 'missing required key "arch".' });
  });

  test('a matrix beside machine.arch, in a scenario or in a defaults document', () => {
    expect(issue('matrix: { arch: [x86_64] }', 'machine: { arch: x86_64 }', 'exit: any')).toMatchObject({
      line: 4, col: 18, path: 'machine.arch', message: 'the matrix at line 3 already sets machine.arch for each of its runs.',
    });
    const [defaults, scenario] = load('invalid/matrix-defaults-both.yaml');
    expect(defaults).toMatchObject({ ok: false, name: 'defaults', issues: [{ line: 5, path: 'machine.arch' }] });
    // The broken defaults apply to nothing: the scenario after them is checked without them.
    expect(scenario).toMatchObject({ ok: false, issues: [{ path: 'guest', message: 'missing required key "kernel" or "firmware".' }] });
  });

  test('${...} naming anything but arch, in the scenario or in the defaults that gave the value', () => {
    const { issue: issueOf } = oneScenario('v.yaml', ['name: v']);
    expect(issueOf('guest: { kernel: k.elf, cmdline: "root=${ARCH}" }', 'exit: any')).toMatchObject({
      line: 2, col: 34, path: 'guest.cmdline', message: '"${ARCH}" is not a variable: ${arch} is the only one, replaced by the architecture each run boots.', hint: 'Did you mean "${arch}"?',
    });
    const text = ['defaults:', '  guest:', '    initrd: "x/${target}.cpio"', '---', 'name: d', 'guest: { kernel: k.elf }', 'exit: any'].join('\n');
    const [doc] = loadScenarioFile({ displayPath: 'd.yaml', absolutePath: '/p/d.yaml', text });
    expect(doc).toMatchObject({ ok: false, issues: [{ line: 3, col: 13, path: 'guest.initrd', hint: 'Write the value out, or use ${arch}.' }] });
  });
});

describe('matrix: a run the architecture cannot do', () => {
  test('fails alone, as NAME (arch), at the line of the original document, saying which architecture', () => {
    const docs = load('invalid/matrix-channel-one-arch-lacks.yaml');
    expect(docs.map((doc) => [doc.ok ? doc.scenario.name : doc.name, doc.ok])).toEqual([
      ['seabios (x86_64)', true], ['seabios (aarch64)', false], ['seabios (riscv64)', false],
    ]);
    expect(failures(docs).map((doc) => formatIssue(doc.issues[0]!))).toEqual([
      'scenarios/invalid/matrix-channel-one-arch-lacks.yaml:7:5: expect[1]: on aarch64 (matrix): aarch64 machines have no firmware channel. Read what the guest prints there on the console instead (ttyAMA0 under Linux); channels of aarch64: console, debugcon, virtio.',
      'scenarios/invalid/matrix-channel-one-arch-lacks.yaml:7:5: expect[1]: on riscv64 (matrix): riscv64 machines have no firmware channel. Read what the guest prints there on the console instead (ttyS0 under Linux); channels of riscv64: console, debugcon, virtio.',
    ]);
  });

  test('a machine type of one architecture, an exit another lacks', () => {
    const { load: one } = oneScenario('t.yaml', ['name: t', 'guest: { kernel: k.elf }', 'matrix: { arch: [x86_64, aarch64] }']);
    const doc = one('machine: { type: q35 }', 'exit: { debug-exit: 1 }');
    expect(doc).toMatchObject({ ok: true, scenario: { name: 't (x86_64)' } });
    const arm = loadScenarioFile({ displayPath: 't.yaml', absolutePath: '/p/t.yaml', text: ['name: t', 'guest: { kernel: k.elf }', 'matrix: { arch: [x86_64, aarch64] }', 'machine: { type: q35 }', 'exit: { debug-exit: 1 }'].join('\n') })[1]!;
    expect(arm).toMatchObject({ ok: false, name: 't (aarch64)' });
    expect(!arm.ok && arm.issues.map((i) => [i.line, i.path, i.message])).toEqual([
      [4, 'machine.type', 'on aarch64 (matrix): "q35" is not a machine type of aarch64.'],
    ]);
  });

  test('an issue every run has is said as it is in each; one whose hint differs says its architecture', () => {
    const messages = (...body: string[]) => loadScenarioFile({ displayPath: 'r.yaml', absolutePath: '/p/r.yaml', text: ['name: r', 'guest: { kernel: k.elf }', 'matrix: { arch: [aarch64, riscv64] }', 'expect:', ...body].join('\n') })
      .map((doc) => !doc.ok && [doc.name, doc.issues.map((i) => i.message)]);
    const uncompiled = 'the regular expression does not compile: Invalid regular expression: /(/: Unterminated group.';
    expect(messages('  - console: { regex: "(" }')).toEqual([['r (aarch64)', [uncompiled]], ['r (riscv64)', [uncompiled]]]);
    expect(messages('  - breakpoint: f', '    registers: { rax: 1 }')).toEqual([
      ['r (aarch64)', ['on aarch64 (matrix): unknown register "rax".']], ['r (riscv64)', ['on riscv64 (matrix): unknown register "rax".']],
    ]);
  });
});

test('the editor schema has matrix in scenarios and defaults, its architectures listed once each', () => {
  const [scenario, defaults] = scenarioJsonSchema().anyOf as Record<string, any>[];
  for (const properties of [scenario!.properties, defaults!.properties.defaults.properties]) {
    expect(properties.matrix.properties.arch).toMatchObject({ type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['x86_64', 'aarch64', 'riscv64'] } });
  }
});
