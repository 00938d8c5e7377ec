import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeRegisterBlock, encodeRegisterBlock } from '../../src/gdb/register-block.js';
import { leHexToBigInt } from '../../src/gdb/rsp-codec.js';
import { buildRegisterMap, parseTargetXml } from '../../src/gdb/target-description.js';

// Recorded from QEMU 7.2 with the reference guest stopped at a breakpoint: the description files as served,
// one `g` reply and the `p` reply of every register at the same stop (provenance in the JSON's `captured`).
const FIXTURES = fileURLToPath(new URL('../fixtures/gdb/', import.meta.url));
const fixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');
const capture = JSON.parse(fixture('breakpoint-stop-registers.json')) as { g: string; p: Record<string, string> };
const map = buildRegisterMap([parseTargetXml(fixture('target.xml')), parseTargetXml(fixture('i386-64bit.xml'))]);

describe('a real g reply from QEMU 7.2 x86_64', () => {
  const block = decodeRegisterBlock(map, capture.g);

  test('covers the whole description: 66 registers, 608 bytes, none unavailable', () => {
    expect(capture.g).toHaveLength(2 * 608);
    expect(block.covered.map((r) => r.name)).toEqual(map.registers.map((r) => r.name));
    expect(block.unavailable).toEqual([]);
  });

  test('every register has the value p read at the same stop', () => {
    expect(Object.keys(capture.p)).toHaveLength(66);
    for (const reg of map.registers) {
      expect(block.values.get(reg.name), reg.name).toBe(leHexToBigInt(capture.p[`p${reg.regnum.toString(16)}`]!));
    }
  });

  test('the values the stop implies: the second call of guest_loop_target, in long mode', () => {
    expect(block.values.get('rip')).toBe(0x1011d0n);
    expect(block.values.get('rdi')).toBe(1n);
    expect(block.values.get('cs')).toBe(8n);
    expect(block.values.get('cr0')).toBe(0x80000011n);
    expect(block.values.get('efer')).toBe(0x500n);
  });

  test('encoding it again gives the reply byte for byte', () => {
    expect(encodeRegisterBlock(block)).toBe(capture.g);
  });

  test('a changed value lands at its offset, negatives in two\'s complement, the rest unchanged', () => {
    const changed = decodeRegisterBlock(map, capture.g);
    changed.values.set('rax', -5n);
    changed.values.set('eflags', 0x246n);
    const hex = encodeRegisterBlock(changed);
    expect(hex.slice(0, 16)).toBe('fbffffffffffffff');
    expect(hex.slice(136 * 2, 140 * 2)).toBe('46020000');
    expect(hex.slice(16, 136 * 2)).toBe(capture.g.slice(16, 136 * 2));
    expect(hex.slice(140 * 2)).toBe(capture.g.slice(140 * 2));
  });
});

describe('replies that differ from the capture', () => {
  const st0 = map.byName.get('st0')!;
  const withXx = capture.g.slice(0, st0.offset * 2) + 'xx'.repeat(10) + capture.g.slice((st0.offset + 10) * 2);

  test('xx bytes make that register unavailable and leave the others', () => {
    const block = decodeRegisterBlock(map, withXx);
    expect(block.unavailable).toEqual(['st0']);
    expect(block.values.has('st0')).toBe(false);
    expect(block.values.get('st1')).toBe(leHexToBigInt(capture.p.p22!));
    expect(block.values.get('efer')).toBe(0x500n);
  });

  test('G refuses a block with an unavailable register, naming it', () => {
    expect(() => encodeRegisterBlock(decodeRegisterBlock(map, withXx))).toThrow('register st0 was unavailable in the g reply; G writes every register');
  });

  test('one xx byte is enough; upper-case XX and hex digits are read too', () => {
    const oneByte = `${capture.g.slice(0, 14)}XX${capture.g.slice(16)}`;
    expect(decodeRegisterBlock(map, oneByte).unavailable).toEqual(['rax']);
    expect(decodeRegisterBlock(map, capture.g.toUpperCase()).values.get('rip')).toBe(0x1011d0n);
  });

  test('a reply that stops at a register boundary covers the registers before it', () => {
    const block = decodeRegisterBlock(map, capture.g.slice(0, st0.offset * 2));
    expect(block.covered.map((r) => r.name).at(-1)).toBe('efer');
    expect(block.covered).toHaveLength(33);
    expect(block.values.get('rip')).toBe(0x1011d0n);
    expect(encodeRegisterBlock(block)).toBe(capture.g.slice(0, st0.offset * 2));
  });

  test.each([
    ['an odd length', capture.g.slice(0, -1), 'g reply has odd length 1215'],
    ['more bytes than described', `${capture.g}00`, 'g reply has 609 bytes, more than the 608'],
    ['an end inside a register', capture.g.slice(0, 20), 'g reply ends inside register rbx (bytes 8-15); it has 10 bytes'],
    ['half an xx byte', `x0${capture.g.slice(2)}`, 'register rax in the g reply is "x000000000000000"'],
  ])('%s is refused', (_, reply, message) => {
    expect(() => decodeRegisterBlock(map, reply)).toThrow(message);
  });

  test('G needs a value for every covered register', () => {
    const block = decodeRegisterBlock(map, capture.g);
    block.values.delete('rsp');
    expect(() => encodeRegisterBlock(block)).toThrow('register rsp has no value');
  });
});
