// Runs a decoder over its fixture of hand-worked cases (test/fixtures/<arch>/emulation-cases.json): instructions
// it emulates with their effect, instructions it decodes but refuses in a given state, and instructions it refuses.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulation } from '../../src/arch/emulation.js';

interface Emulated {
  name: string;
  pc: string;
  bytes: string;
  registers: Record<string, string>;
  length?: number;
  expect: Record<string, string>;
  writes: { address: string; size: number; value: string }[];
}

interface Cases {
  emulated: Emulated[];
  refusedInState: { name: string; bytes: string; registers: Record<string, string> }[];
  refused: { name: string; bytes: string }[];
}

const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const hex = (value: bigint) => `0x${value.toString(16)}`;
const values = (registers: Record<string, string>) => new Map(Object.entries(registers).map(([name, value]) => [name, BigInt(value)]));

/** `codeBytes`: what the debugger reads at a breakpoint; the cases' bytes are padded with `padding` to it. */
export function describeEmulationCases(arch: string, decode: (code: Uint8Array, pc: bigint) => Emulation | undefined, codeBytes: number, padding: string): void {
  const cases = JSON.parse(readFileSync(join(import.meta.dirname, `../fixtures/${arch}/emulation-cases.json`), 'utf8')) as Cases;
  const padded = (code: string) => bytes((code + padding.repeat(codeBytes)).slice(0, Math.max(codeBytes * 2, code.length)));

  describe(`${arch} decodeEmulation`, () => {
    test.each(cases.emulated.map((c) => [c.name, c] as const))('%s', (_, c) => {
      // The bytes of the next instruction must not change the decoding.
      const emulation = decode(padded(c.bytes), BigInt(c.pc));
      expect(emulation).toBeDefined();
      expect(emulation!.length).toBe(c.length ?? 4);
      expect(emulation!.operand).toBeUndefined();
      expect([...emulation!.reads].sort()).toEqual(Object.keys(c.registers).sort());
      const effect = emulation!.execute(values(c.registers));
      expect(effect).toBeDefined();
      expect(Object.fromEntries(Object.entries(effect!.registers).map(([name, value]) => [name, hex(value)]))).toEqual(c.expect);
      expect(effect!.writes.map((w) => ({ address: hex(w.address), size: w.size, value: hex(w.value) }))).toEqual(c.writes);
      expect(emulation!.writesStack).toBe(c.writes.length > 0);
    });

    test.each(cases.refusedInState.map((c) => [c.name, c] as const))('decodes, then refuses in its state: %s', (_, c) => {
      const emulation = decode(padded(c.bytes), 0x1000n);
      expect(emulation).toBeDefined();
      expect([...emulation!.reads].sort()).toEqual(Object.keys(c.registers).sort());
      expect(emulation!.execute(values(c.registers))).toBeUndefined();
    });

    test.each(cases.refused.map((c) => [c.name, c.bytes] as const))('refuses %s', (_, code) => {
      expect(decode(bytes(code), 0x1000n)).toBeUndefined();
    });
  });
}
