// The instructions a breakpoint is left by emulation: decoding and effects on cases worked out by hand
// (test/fixtures/x86/emulation-cases.json); the e2e test step-emulation.e2e.test.ts checks them against QEMU.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEmulation } from '../../src/arch/x86_64/emulation.js';

interface Case {
  name: string;
  pc: string;
  bytes: string;
  registers: Record<string, string>;
  operand?: { address: string; size: number; value: string };
  length: number;
  expect: Record<string, string>;
  writes: { address: string; size: number; value: string }[];
}

const cases = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/x86/emulation-cases.json'), 'utf8')) as { emulated: Case[]; refused: { name: string; bytes: string }[] };
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const hex = (value: bigint) => `0x${value.toString(16)}`;

describe('decodeEmulation', () => {
  test.each(cases.emulated.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // Trailing bytes of the next instruction must not change the decoding.
    const emulation = decodeEmulation(bytes(`${c.bytes}cccccccccccccccccccccccccccccccc`.slice(0, Math.max(32, c.bytes.length))), BigInt(c.pc));
    expect(emulation).toBeDefined();
    expect(emulation!.length).toBe(c.length);
    expect(emulation!.operand && { address: hex(emulation!.operand.address), size: emulation!.operand.size }).toEqual(c.operand && { address: c.operand.address, size: c.operand.size });
    const registers = new Map(Object.entries(c.registers).map(([name, value]) => [name, BigInt(value)]));
    expect([...emulation!.reads].sort()).toEqual(Object.keys(c.registers).sort());
    const effect = emulation!.execute(registers, c.operand && BigInt(c.operand.value))!;
    expect(Object.fromEntries(Object.entries(effect.registers).map(([name, value]) => [name, hex(value)]))).toEqual(c.expect);
    expect(effect.writes.map((w) => ({ address: hex(w.address), size: w.size, value: hex(w.value) }))).toEqual(c.writes);
    expect(emulation!.writesStack).toBe(/^(push|call)/.test(c.name));
  });

  test.each(cases.refused.map((c) => [c.name, c.bytes] as const))('refuses %s', (_, code) => {
    expect(decodeEmulation(bytes(code), 0x1000n)).toBeUndefined();
  });
});
