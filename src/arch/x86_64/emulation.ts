// Emulates a few x86-64 instructions that start functions, so a breakpoint can be left without a single step:
// the client applies the instruction's effect through the GDB stub and resumes past it, one stop per hit
// instead of two. Pure: it decodes bytes and computes effects; the debugger session reads and writes.
//
// Only instructions whose whole effect is registers, flags and plain memory are here, and each is exact:
// no-ops (NOP forms, ENDBR64), PUSH r64, CALL rel32, MOV r64 to r64, and ADD/SUB of an 8-bit immediate to
// a register or a RIP-relative memory operand (LOCK allowed: the guest is stopped while it is applied).
// Anything else is stepped as before.

import type { EmulatedEffect, Emulation } from '../emulation.js';

/** x86 register numbers 0-15 as QEMU's target description names them. */
const GPR = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'] as const;

/** CF, PF, AF, ZF, SF, OF: what ADD and SUB set in eflags. */
const ARITH_FLAGS = 0x8d5n;

/** The emulation of the instruction at `pc` whose first bytes are `code` (16 is always enough), if it has one. */
export function decodeEmulation(code: Uint8Array, pc: bigint): Emulation | undefined {
  let i = 0;
  let lock = false;
  let operandSize16 = false;
  let rep = false;
  for (; i < code.length; i++) {
    const b = code[i]!;
    if (b === 0xf0) lock = true;
    else if (b === 0x66) operandSize16 = true;
    else if (b === 0xf3) rep = true;
    else if (b === 0x2e || b === 0x3e) continue; // segment overrides: ignored in 64-bit mode, padding in NOPs
    else break;
  }
  let rex = 0;
  if (i < code.length && (code[i]! & 0xf0) === 0x40) rex = code[i++]!;
  const w = (rex & 8) !== 0;
  const r = (rex & 4) !== 0 ? 8 : 0;
  const b = (rex & 1) !== 0 ? 8 : 0;
  const op = code[i];
  if (op === undefined) return undefined;
  const next = (length: number) => wrap64(pc + BigInt(length));

  // ENDBR64: f3 0f 1e fa.
  if (rep && !lock && op === 0x0f && code[i + 1] === 0x1e && code[i + 2] === 0xfa) return noEffect(i + 3, next);
  if (rep) return undefined;
  // NOP (not xchg r8, rax) and the 0f 1f /0 multi-byte NOPs.
  if (op === 0x90 && b === 0 && !lock) return noEffect(i + 1, next);
  if (op === 0x0f && code[i + 1] === 0x1f && !lock) {
    const modrm = decodeModrm(code, i + 2);
    if (!modrm || modrm.reg !== 0) return undefined;
    return noEffect(modrm.end, next);
  }
  if (lock && op !== 0x83) return undefined;
  if (operandSize16) return undefined;
  // PUSH r64.
  if (op >= 0x50 && op <= 0x57) {
    const source = GPR[(op - 0x50) + b]!;
    const length = i + 1;
    return {
      length, reads: uniq(['rsp', source]), writesStack: true,
      execute: (regs) => {
        const sp = wrap64(regs.get('rsp')! - 8n);
        return { registers: { rsp: sp, rip: next(length) }, writes: [{ address: sp, size: 8, value: regs.get(source)! }] };
      },
    };
  }
  // CALL rel32: the return address pushed, the target taken.
  if (op === 0xe8 && rex === 0) {
    if (i + 5 > code.length) return undefined;
    const length = i + 5;
    const target = wrap64(next(length) + BigInt(readInt32(code, i + 1)));
    return {
      length, reads: ['rsp'], writesStack: true,
      execute: (regs) => {
        const sp = wrap64(regs.get('rsp')! - 8n);
        return { registers: { rsp: sp, rip: target }, writes: [{ address: sp, size: 8, value: next(length) }] };
      },
    };
  }
  // MOV r/m64, r64 between registers.
  if (op === 0x89 && w) {
    const modrm = decodeModrm(code, i + 1);
    if (!modrm || modrm.mod !== 3) return undefined;
    const source = GPR[modrm.reg + r]!;
    const destination = GPR[modrm.rm + b]!;
    const length = modrm.end;
    return {
      length, reads: [source], writesStack: false,
      execute: (regs) => ({ registers: { [destination]: regs.get(source)!, rip: next(length) }, writes: [] }),
    };
  }
  // ADD/SUB r/m32 or r/m64, imm8 (sign-extended): a register, or memory at [rip + disp32].
  if (op === 0x83) {
    const modrm = decodeModrm(code, i + 1);
    if (!modrm || (modrm.reg !== 0 && modrm.reg !== 5) || modrm.end >= code.length) return undefined;
    const subtract = modrm.reg === 5;
    const width = w ? 64 : 32;
    const imm = BigInt.asIntN(8, BigInt(code[modrm.end]!));
    const length = modrm.end + 1;
    if (modrm.mod === 3 && !lock) {
      const destination = GPR[modrm.rm + b]!;
      return {
        length, reads: [destination, 'eflags'], writesStack: false,
        execute: (regs) => {
          const { result, flags } = addSub(regs.get(destination)!, imm, width, subtract);
          // A 32-bit destination register is zero-extended to 64 bits.
          return { registers: { [destination]: result, eflags: withFlags(regs.get('eflags')!, flags), rip: next(length) }, writes: [] };
        },
      };
    }
    if (modrm.ripRelative) {
      const address = wrap64(next(length) + modrm.displacement);
      const size = width / 8 as 4 | 8;
      return {
        length, reads: ['eflags'], operand: { address, size }, writesStack: false,
        execute: (regs, operand) => {
          const { result, flags } = addSub(operand!, imm, width, subtract);
          return { registers: { eflags: withFlags(regs.get('eflags')!, flags), rip: next(length) }, writes: [{ address, size, value: result }] };
        },
      };
    }
  }
  return undefined;
}

function noEffect(length: number, next: (length: number) => bigint): Emulation {
  return { length, reads: [], writesStack: false, execute: () => ({ registers: { rip: next(length) }, writes: [] }) };
}

interface Modrm {
  mod: number;
  reg: number;
  rm: number;
  ripRelative: boolean;
  displacement: bigint;
  /** Index just past the ModRM byte, its SIB byte and displacement. */
  end: number;
}

/** The ModRM byte at `at` with its SIB and displacement, or undefined if the bytes end first. */
function decodeModrm(code: Uint8Array, at: number): Modrm | undefined {
  const byte = code[at];
  if (byte === undefined) return undefined;
  const mod = byte >> 6;
  const reg = (byte >> 3) & 7;
  const rm = byte & 7;
  let end = at + 1;
  let displacementSize = mod === 1 ? 1 : mod === 2 ? 4 : 0;
  const ripRelative = mod === 0 && rm === 5;
  if (ripRelative) displacementSize = 4;
  if (mod !== 3 && rm === 4) {
    const sib = code[end++];
    if (sib === undefined) return undefined;
    if (mod === 0 && (sib & 7) === 5) displacementSize = 4;
  }
  if (end + displacementSize > code.length) return undefined;
  const displacement = displacementSize === 4 ? BigInt(readInt32(code, end)) : displacementSize === 1 ? BigInt.asIntN(8, BigInt(code[end]!)) : 0n;
  return { mod, reg, rm, ripRelative, displacement, end: end + displacementSize };
}

/** The result and the CF, PF, AF, ZF, SF and OF bits of `a + imm` or `a - imm` in `width` bits. */
export function addSub(a: bigint, imm: bigint, width: 32 | 64, subtract: boolean): { result: bigint; flags: bigint } {
  const x = BigInt.asUintN(width, a);
  const y = BigInt.asUintN(width, imm);
  const result = BigInt.asUintN(width, subtract ? x - y : x + y);
  const top = BigInt(width - 1);
  const carry = subtract ? x < y : x + y > BigInt.asUintN(width, -1n);
  const overflow = subtract ? ((x ^ y) & (x ^ result)) >> top : ((x ^ result) & (y ^ result)) >> top;
  let ones = 0;
  for (let v = Number(result & 0xffn); v; v >>= 1) ones += v & 1;
  const flags = (carry ? 1n : 0n)
    | (ones % 2 === 0 ? 1n << 2n : 0n)
    | (((x ^ y ^ result) >> 4n) & 1n) << 4n
    | (result === 0n ? 1n << 6n : 0n)
    | ((result >> top) & 1n) << 7n
    | (overflow & 1n) << 11n;
  return { result, flags };
}

function withFlags(eflags: bigint, flags: bigint): bigint {
  return (eflags & ~ARITH_FLAGS) | flags;
}

function readInt32(code: Uint8Array, at: number): number {
  return (code[at]! | (code[at + 1]! << 8) | (code[at + 2]! << 16) | (code[at + 3]! << 24)) | 0;
}

function wrap64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}

function uniq(names: string[]): string[] {
  return [...new Set(names)];
}
