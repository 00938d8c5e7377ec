import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRegisterMap, parseTargetXml } from '../../src/gdb/target-description.js';

// target.xml is what QEMU 7.2's gdbstub.c (get_feature_xml) builds for qemu-system-x86_64: one line;
// i386-64bit.xml is QEMU's file of that name (provenance in its first comment).
const FIXTURES = fileURLToPath(new URL('../fixtures/rsp/', import.meta.url));
const fixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');

describe('QEMU 7.2 x86_64 description', () => {
  const target = parseTargetXml(fixture('target.xml'));
  const core = parseTargetXml(fixture('i386-64bit.xml'));
  const map = buildRegisterMap([target, core]);
  const at = (name: string) => map.byName.get(name);

  test('target.xml names the architecture and its include, no registers', () => {
    expect(target).toEqual({ architecture: 'i386:x86-64', includes: ['i386-64bit.xml'], registers: [] });
  });

  test('the numbers and g packet size in qemu-facts', () => {
    expect(at('rax')).toEqual({ name: 'rax', regnum: 0, bitsize: 64, offset: 0 });
    expect(at('rsp')).toMatchObject({ regnum: 7, offset: 56 });
    expect(at('r8')).toMatchObject({ regnum: 8 });
    expect(at('r15')).toMatchObject({ regnum: 15 });
    expect(at('rip')).toEqual({ name: 'rip', regnum: 16, bitsize: 64, offset: 128 });
    expect(at('eflags')).toEqual({ name: 'eflags', regnum: 17, bitsize: 32, offset: 136 });
    expect(at('cs')).toEqual({ name: 'cs', regnum: 18, bitsize: 32, offset: 140 });
    expect(at('fs_base')).toEqual({ name: 'fs_base', regnum: 24, bitsize: 64, offset: 164 });
    expect(at('cr0')).toMatchObject({ regnum: 27 });
    expect(at('efer')).toEqual({ name: 'efer', regnum: 32, bitsize: 64, offset: 228 });
    expect(at('st0')).toEqual({ name: 'st0', regnum: 33, bitsize: 80, offset: 236 });
    expect(at('mxcsr')).toEqual({ name: 'mxcsr', regnum: 65, bitsize: 32, offset: 604 });
    expect(map.gPacketBytes).toBe(608);
  });

  test('the commented-out segment bases are not registers', () => {
    expect(fixture('i386-64bit.xml')).toContain('<!--reg name="cs_base"');
    expect(core.registers.map((r) => r.name)).not.toContain('ss_base');
    expect(map.registers.map((r) => r.name)).toEqual([
      'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', ...Array.from({ length: 8 }, (_, i) => `r${i + 8}`),
      'rip', 'eflags', 'cs', 'ss', 'ds', 'es', 'fs', 'gs', 'fs_base', 'gs_base', 'k_gs_base',
      'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'efer', ...Array.from({ length: 8 }, (_, i) => `st${i}`),
      'fctrl', 'fstat', 'ftag', 'fiseg', 'fioff', 'foseg', 'fooff', 'fop', ...Array.from({ length: 16 }, (_, i) => `xmm${i}`), 'mxcsr',
    ]);
    expect(map.registers.map((r) => r.regnum)).toEqual(Array.from({ length: 66 }, (_, i) => i));
  });

  test('type and group are kept', () => {
    expect(core.registers.find((r) => r.name === 'rip')).toEqual({ name: 'rip', bitsize: 64, type: 'code_ptr' });
    expect(core.registers.find((r) => r.name === 'fop')).toEqual({ name: 'fop', bitsize: 32, type: 'int', group: 'float' });
    expect(core.registers[0]).toEqual({ name: 'rax', bitsize: 64, type: 'int64', regnum: 0 });
  });
});

describe('parseTargetXml', () => {
  test('attributes in any order, either quote, spaces around =, open and close tags', () => {
    const doc = parseTargetXml(`<feature name='x'>
      <reg bitsize='32' name="a"/>
      <reg type = "int" regnum='7' name = 'b' bitsize="16"></reg>
    </feature>`);
    expect(doc.registers).toEqual([{ name: 'a', bitsize: 32 }, { name: 'b', bitsize: 16, regnum: 7, type: 'int' }]);
  });

  test('comments go before anything else, even ones holding tags or spanning lines', () => {
    const doc = parseTargetXml(`<?xml version="1.0"?>
      <!DOCTYPE feature SYSTEM "gdb-target.dtd">
      <!-- <reg name="old" bitsize="64"/> -->
      <feature><reg name="a" bitsize="8"/><!--
      <xi:include href="gone.xml"/> <architecture>wrong</architecture>
      --><reg name="b" bitsize="8"/></feature>`);
    expect(doc).toEqual({ includes: [], registers: [{ name: 'a', bitsize: 8 }, { name: 'b', bitsize: 8 }] });
    expect(buildRegisterMap([doc]).byName.get('b')).toEqual({ name: 'b', regnum: 1, bitsize: 8, offset: 1 });
  });

  test('includes in document order; a DOCTYPE with an internal subset is skipped', () => {
    const doc = parseTargetXml(`<!DOCTYPE target [ <!ELEMENT target ANY> ]><target>
      <architecture> aarch64 </architecture>
      <xi:include href='aarch64-core.xml'/><xi:include href="aarch64-fpu.xml" /></target>`);
    expect(doc).toEqual({ architecture: 'aarch64', includes: ['aarch64-core.xml', 'aarch64-fpu.xml'], registers: [] });
  });

  test.each([
    ['<reg bitsize="64"/>', '<reg bitsize="64"/> has no name attribute'],
    ['<reg name="a"/>', 'has no bitsize attribute'],
    ['<reg name="a" bitsize="12"/>', 'bitsize must be a positive multiple of 8, got 12'],
    ['<reg name="a" bitsize="0x40"/>', 'bitsize must be a whole number, got "0x40"'],
    ['<reg name="a" bitsize="8" regnum="-1"/>', 'regnum must be a whole number, got "-1"'],
    ['<xi:include/>', 'has no href attribute'],
    ['<feature><!-- <reg name="a" bitsize="8"/>', 'unterminated XML comment'],
  ])('%s is refused', (xml, message) => {
    expect(() => parseTargetXml(xml)).toThrow(message);
  });
});

describe('buildRegisterMap', () => {
  const doc = (xml: string) => parseTargetXml(`<feature>${xml}</feature>`);

  test('numbering continues across documents; an explicit regnum resets it', () => {
    const map = buildRegisterMap([
      doc('<reg name="a" bitsize="64"/><reg name="b" bitsize="32"/>'),
      doc('<reg name="c" bitsize="64"/><reg name="d" bitsize="64" regnum="10"/><reg name="e" bitsize="8"/>'),
    ]);
    expect(map.registers.map((r) => [r.name, r.regnum, r.offset])).toEqual([['a', 0, 0], ['b', 1, 8], ['c', 2, 12], ['d', 10, 20], ['e', 11, 28]]);
    expect(map.gPacketBytes).toBe(29);
  });

  test('offsets follow register numbers, not document order', () => {
    const map = buildRegisterMap([doc('<reg name="late" bitsize="32" regnum="5"/><reg name="early" bitsize="64" regnum="1"/>')]);
    expect(map.byName.get('late')).toMatchObject({ regnum: 5, offset: 8 });
    expect(map.byName.get('early')).toMatchObject({ regnum: 1, offset: 0 });
  });

  test('a duplicate name or number is refused', () => {
    expect(() => buildRegisterMap([doc('<reg name="a" bitsize="8"/>'), doc('<reg name="a" bitsize="8"/>')])).toThrow('register "a" is described twice');
    expect(() => buildRegisterMap([doc('<reg name="a" bitsize="8" regnum="3"/><reg name="b" bitsize="8" regnum="3"/>')]))
      .toThrow('registers "a" and "b" both have regnum 3');
  });
});
