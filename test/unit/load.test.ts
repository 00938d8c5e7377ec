import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, MAX_SCENARIO_FILE_BYTES, type LoadedDocument } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
/** A made-up absolute location, so resolved paths do not depend on where the checkout lives. */
const BASE = '/project/scenarios';

function load(name: string, text = readFileSync(`${FIXTURES}${name}`, 'utf8')): LoadedDocument[] {
  return loadScenarioFile({ displayPath: `scenarios/${name}`, absolutePath: `${BASE}/${name}`, text });
}

function scenarios(name: string): Scenario[] {
  const docs = load(name);
  return docs.map((doc) => {
    if (!doc.ok) throw new Error(`${name}: ${JSON.stringify(doc.issues)}`);
    return doc.scenario;
  });
}

describe('valid scenarios', () => {
  test('machine defaults and a kernel path resolved against the file folder', () => {
    const [s] = scenarios('valid/minimal.yaml');
    expect(s!.name).toBe('minimal');
    expect(s!.location).toEqual({ file: 'scenarios/valid/minimal.yaml', line: 2, col: 1 });
    expect(s!.guest).toEqual({ kernel: '/project/scenarios/build/kernel.elf', initrd: undefined, cmdline: undefined, symbols: undefined });
    expect(s!.machine).toEqual({ arch: 'x86_64', type: 'pc', cpus: 1, memory: '128M', accel: 'auto', debugExit: { iobase: 0xf4, iosize: 4 }, extraArgs: [] });
    expect(s!.timeout).toBe(30);
    expect(s!.exit).toBeUndefined();
    expect(s!.expectations).toEqual([
      { index: 0, after: undefined, location: { file: 'scenarios/valid/minimal.yaml', line: 6, col: 5 }, kind: 'text', channel: 'console', pattern: { kind: 'text', text: 'Hello' } },
    ]);
  });

  test('a defaults document merges key by key; a trailing --- adds nothing', () => {
    const docs = scenarios('valid/defaults-merge.yaml');
    expect(docs.map((s) => s.name)).toEqual(['inherits', 'overrides']);
    const [inherits, overrides] = docs;
    expect(inherits!.guest).toMatchObject({ kernel: '/project/scenarios/valid/images/k.elf', cmdline: 'quiet' });
    expect(inherits!.machine).toMatchObject({ type: 'q35', cpus: 2, memory: '128M' });
    expect(inherits!.timeout).toBe(5);
    // guest.cmdline and machine.memory replaced, guest.kernel and machine.type/cpus kept.
    expect(overrides!.guest).toMatchObject({ kernel: '/project/scenarios/valid/images/k.elf', cmdline: 'verbose' });
    expect(overrides!.machine).toMatchObject({ type: 'q35', cpus: 2, memory: '256M' });
    expect(overrides!.timeout).toBe(12.5);
    expect(overrides!.exit).toMatchObject({ kind: 'poweroff', location: { line: 21, col: 7 } });
    expect(overrides!.expectations).toEqual([]);
  });

  test('machine options: microvm, initrd, symbols, memory in G, debug-exit false, extra args', () => {
    const [microvm, custom] = scenarios('valid/machine-options.yaml');
    expect(microvm!.guest).toEqual({ kernel: '/abs/vmlinux', initrd: '/project/scenarios/valid/initrd.img', cmdline: 'console=ttyS0', symbols: '/project/scenarios/sym/System.map' });
    expect(microvm!.machine).toEqual({ arch: 'x86_64', type: 'microvm', cpus: 4, memory: '1G', accel: 'tcg', debugExit: null, extraArgs: ['-d', 'int'] });
    expect(microvm!.exit).toMatchObject({ kind: 'any' });
    expect(custom!.machine.memory).toBe('64M');
    expect(custom!.machine.cpu).toBe('Skylake-Server,-pku');
    expect(microvm!.machine.cpu).toBeUndefined();
    expect(custom!.machine.debugExit).toEqual({ iobase: 0x501, iosize: 1 });
    expect(custom!.exit).toMatchObject({ kind: 'debug-exit', value: 3 });
  });

  test('ordered: true chains each positive expectation to the previous one, skipping never', () => {
    const [s] = scenarios('valid/ordering.yaml');
    const e = s!.expectations;
    expect(e.map((x) => x.kind)).toEqual(['text', 'never', 'code', 'stage', 'text']);
    expect(e.map((x) => x.after)).toEqual([undefined, undefined, 0, 2, 3]);
    expect(e[2]).toMatchObject({ kind: 'code', code: 0x41 });
    expect(e[3]).toMatchObject({ kind: 'stage', stage: 'kernel' });
    expect(e[4]).toMatchObject({ kind: 'text', channel: 'debugcon', pattern: { kind: 'regex', source: 'done \\d+', flags: 'i' } });
    expect(e.map((x) => x.location.line)).toEqual([5, 6, 7, 8, 9]);
  });

  test('id/after, never as text or as {regex, channel}, exit status', () => {
    const [, s] = scenarios('valid/ordering.yaml');
    const e = s!.expectations;
    expect(e[0]).toMatchObject({ id: 'mount', after: undefined });
    expect(e[1]).toMatchObject({ kind: 'text', channel: 'firmware', after: undefined });
    expect(e[2]).toMatchObject({ kind: 'stage', stage: 'userspace', after: 0 });
    expect(e[3]).toMatchObject({ kind: 'never', channel: 'debugcon', pattern: { kind: 'regex', source: 'Oops|BUG', flags: '' } });
    expect(e[4]).toMatchObject({ kind: 'never', channel: 'console', pattern: { kind: 'text', text: 'Kernel panic' } });
    expect(s!.exit).toMatchObject({ kind: 'status', status: 43, location: { line: 21, col: 7 } });
  });
});

describe('invalid scenarios', () => {
  const files = readdirSync(`${FIXTURES}invalid`).filter((f) => f.endsWith('.yaml')).sort();

  test.each(files)('%s', (file) => {
    const text = readFileSync(`${FIXTURES}invalid/${file}`, 'utf8');
    const header = /^# expect: (\S+) (\d+):(\d+)(?: (\S+))?$/.exec(text.split('\n')[0]!);
    if (!header) throw new Error(`${file}: first line must be "# expect: <code> <line>:<col> [<path>]"`);
    const [, code, line, col, path] = header;
    const failed = load(`invalid/${file}`).find((doc) => !doc.ok);
    if (!failed || failed.ok) throw new Error(`${file} loaded without issues`);
    const issue = failed.issues[0]!;
    expect({ code: issue.code, line: issue.line, col: issue.col }).toEqual({ code, line: Number(line), col: Number(col) });
    if (path !== undefined) expect(issue.path).toBe(path);
    expect(issue.file).toBe(`scenarios/invalid/${file}`);
    expect(issue.message.length).toBeGreaterThan(0);
  });

  test('did-you-mean hints for a misspelt key, machine type and stage', () => {
    const hint = (file: string) => (load(`invalid/${file}`)[0] as Extract<LoadedDocument, { ok: false }>).issues[0]!.hint;
    expect(hint('unknown-top-level-key.yaml')).toContain('Did you mean "timeout"?');
    expect(hint('unknown-machine-type.yaml')).toContain('Did you mean "pc"?');
    expect(hint('unknown-stage.yaml')).toContain('Did you mean "kernel"?');
    expect(hint('unknown-expectation-kind.yaml')).toContain('Did you mean "console"?');
  });

  test('a timeout of 0 is refused with the exact accepted range', () => {
    const [doc] = load('zero-timeout.yaml', 'name: z\nguest: { kernel: k.elf }\ntimeout: 0\nexit: any\n');
    expect(doc).toMatchObject({ ok: false, issues: [{ code: 'invalid-value', line: 3, col: 10, message: 'expected a number > 0 and <= 3600, got 0.' }] });
  });

  test('one bad document between two good ones fails alone, in order', () => {
    const docs = load('invalid/bad-middle-document.yaml');
    expect(docs.map((d) => d.ok)).toEqual([true, false, true]);
    expect(docs.map((d) => (d.ok ? d.scenario.name : d.name))).toEqual(['first-good', 'middle-bad', 'last-good']);
  });

  test.each([
    ['empty text', ''],
    ['blank lines', '\n\n  \n'],
    ['a lone ---', '---\n'],
  ])('%s: empty-file', (_, text) => {
    const docs = load('empty.yaml', text);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ ok: false, issues: [{ code: 'empty-file', line: 1, col: 1 }] });
  });

  test('a binary file (NUL bytes) is not-text', () => {
    const docs = load('binary.yaml', 'name: x\u0000\u0001\u0002');
    expect(docs).toMatchObject([{ ok: false, issues: [{ code: 'not-text', line: 1, col: 1 }] }]);
  });

  test('a scenario that repeats the name of an invalid one before it is flagged: both would be tests of that name', () => {
    const docs = load('names.yaml', 'name: same\nguest: { kernel: k.elf }\nexit: sideways\n---\nname: same\nguest: { kernel: k.elf }\nexit: any\n');
    expect(docs).toMatchObject([{ ok: false, name: 'same' }, { ok: false, name: 'same', issues: [{ code: 'duplicate-name', line: 5, col: 7, message: 'scenario name "same" is already used at line 1.' }] }]);
  });

  test('the size limit counts bytes, not chars: 600,000 two-byte chars are over it', () => {
    const big = `# ${'é'.repeat(600_000)}\nname: big\nguest: { kernel: k }\nexit: any\n`;
    expect(big.length).toBeLessThan(MAX_SCENARIO_FILE_BYTES);
    const docs = load('big.yaml', big);
    expect((docs[0] as Extract<LoadedDocument, { ok: false }>).issues[0]).toMatchObject({ code: 'not-text', message: `the file is ${Buffer.byteLength(big)} bytes; scenario files are limited to ${MAX_SCENARIO_FILE_BYTES}.` });
  });

  describe('aliases yaml would throw on, found at the alias instead', () => {
    const issue = (file: string) => (load(`invalid/${file}`).find((doc) => !doc.ok) as Extract<LoadedDocument, { ok: false }>).issues[0]!;

    test('an alias to no anchor names it and says where the anchor must be', () => {
      expect(issue('yaml-alias-undefined.yaml')).toMatchObject({
        message: 'alias *undefined refers to no anchor: no value marked &undefined comes before it in this document.',
        hint: 'Mark a value above it with &undefined (anchors do not carry across "---"), or write the value here.',
      });
    });

    test('an anchor of an earlier document is not seen, and that earlier document still loads', () => {
      const docs = load('invalid/yaml-alias-across-documents.yaml');
      expect(docs.map((doc) => (doc.ok ? doc.scenario.name : doc.name))).toEqual(['first', 'second']);
      expect(docs[0]!.ok).toBe(true);
      expect(issue('yaml-alias-across-documents.yaml').message).toContain('alias *checks refers to no anchor');
    });

    test('an alias inside the value it names, and aliases of aliases that would expand to millions of values', () => {
      expect(issue('yaml-alias-cycle.yaml').message).toBe('alias *loop is inside the value it refers to: that value would be infinite.');
      expect(issue('yaml-alias-expansion.yaml').message).toBe('aliases expand this document to over 100000 more values.');
    });

    test('a lone alias as the whole document', () => {
      expect(load('lone.yaml', '*a\n')).toMatchObject([{ ok: false, issues: [{ code: 'yaml-syntax', line: 1, col: 1 }] }]);
    });

    test('a problem in an aliased value is placed at its anchor, and the hint names the alias that brought it', () => {
      const [doc] = load('via.yaml', 'name: via\nx-opts: &opts { quiet: true }\nguest: { kernel: k.elf, cmdline: *opts }\nexit: any\n');
      const issue = (doc as Extract<LoadedDocument, { ok: false }>).issues.find((i) => i.path === 'guest.cmdline')!;
      expect(issue).toMatchObject({ line: 2, col: 15, message: 'expected a string, got a map.', hint: 'Reached through the alias *opts at line 3, column 34.' });
    });

    test('aliases are looked up once per document: 20,000 of them load in bounded time (yaml\'s resolve walks the document each time)', () => {
      const text = `name: many\nguest: { kernel: k.elf }\nexit: any\nmachine: { qemu: [&arg -S, ${Array(20_000).fill('*arg').join(', ')}] }\n`;
      const start = performance.now();
      const [doc] = load('many.yaml', text);
      expect(performance.now() - start).toBeLessThan(5000);
      expect(doc).toMatchObject({ ok: true, scenario: { machine: { extraArgs: expect.arrayContaining(['-S']) } } });
      expect((doc as Extract<LoadedDocument, { ok: true }>).scenario.machine.extraArgs).toHaveLength(20_001);
    });

    test('an alias to a defined anchor still reads as its value, the scenario name included', () => {
      const [doc] = load('ok.yaml', 'name: &n aliased\nguest: { kernel: k.elf, cmdline: *n }\nexit: any\n');
      expect(doc).toMatchObject({ ok: true, scenario: { name: 'aliased', guest: { cmdline: 'aliased' } } });
    });
  });

  test('a merge key (<<) says that scenario files do not read it and what to use', () => {
    const [doc] = load('invalid/yaml-merge-key.yaml');
    expect((doc as Extract<LoadedDocument, { ok: false }>).issues[0]!.hint).toContain('share settings with a `defaults:` document');
  });

  test('a tagged value that is not a string says its tag, not its bytes', () => {
    const [doc] = load('invalid/yaml-tagged-value.yaml');
    expect((doc as Extract<LoadedDocument, { ok: false }>).issues[0]!.message).toBe('expected a string, got a value tagged tag:yaml.org,2002:binary.');
  });

  test('a file over MAX_SCENARIO_FILE_BYTES is not-text', () => {
    const big = `# ${'x'.repeat(MAX_SCENARIO_FILE_BYTES)}\nname: big\nguest: { kernel: k }\nexit: any\n`;
    const docs = load('big.yaml', big);
    expect(docs).toMatchObject([{ ok: false, issues: [{ code: 'not-text' }] }]);
    expect((docs[0] as Extract<LoadedDocument, { ok: false }>).issues[0]!.message).toContain(String(MAX_SCENARIO_FILE_BYTES));
  });
});
