// Emulates a few AArch64 instructions that start functions, so a breakpoint can be left without a single step
// (see arch/emulation.ts). Pure: it decodes an instruction word and computes effects.
//
// Each is exact under the conditions it checks, or refused (stepped):
// - hint-space no-ops: NOP, BTI and its c/j/jc forms, and PACIASP/PACIBSP while pointer authentication with
//   their key is off at EL1 (SCTLR_EL1.EnIA/EnIB clear: the instruction then returns x30 unchanged); with it on,
//   the signature depends on a key and an algorithm the stub does not show, so those are stepped;
// - ADD/SUB (immediate) without flags, MOV (ORR with XZR) between registers: `mov x29, sp`, `sub sp, sp, #N`;
// - MOVZ, ADR and ADRP: a constant or a global's address (`adrp x0, counter` starts many leaf functions);
// - STP and STR (immediate) of X registers based on sp, with writeback or offset: `stp x29, x30, [sp, #-N]!`.
// PSTATE.BTYPE (cpsr bits 11-10, set by BR/BLR) decides whether this instruction may run in a guarded page:
// with it set only a compatible BTI is emulated, and every emulation clears it as executing any instruction does.
// Stores assume little-endian data (SCTLR_EL1.EE clear, as Linux and Unikraft run) and refuse an sp that is
// not 16-byte aligned (the CPU may fault on it: SCTLR_EL1.SA). A guest stepping itself (PSTATE.SS) is the
// profile's selfStep check: every instruction is stepped then.

import type { EmulatedEffect, Emulation } from '../emulation.js';

const BTYPE_MASK = 3n << 10n;
/** SCTLR_EL1.EnIA and EnIB: the A and B instruction keys sign pointers. */
const EN_IA = 1n << 31n;
const EN_IB = 1n << 30n;

/** BTI (HINT #32) with its targets in bits 2-1: none, c (calls: BTYPE 01, 10), j (jumps: 01, 11), jc (all). */
const BTI_ACCEPTS: Partial<Record<number, readonly bigint[]>> = { 32: [], 34: [1n, 2n], 36: [1n, 3n], 38: [1n, 2n, 3n] };

type Indexing = 'pre' | 'post' | 'offset';
/** STP (X registers) by bits 31-22, STR (X register, imm9) by bits 31-21 and 11-10. */
const PAIR_FORMS: Partial<Record<number, Indexing>> = { 0xa9800000: 'pre', 0xa8800000: 'post', 0xa9000000: 'offset' };
const REGISTER_FORMS: Partial<Record<number, Indexing>> = { 0xf8000c00: 'pre', 0xf8000400: 'post' };

/** The emulation of the instruction at `pc` (its first 4 bytes in `code`), if it has one. */
export function decodeEmulation(code: Uint8Array, pc: bigint): Emulation | undefined {
  if (code.length < 4) return undefined;
  const word = (code[0]! | (code[1]! << 8) | (code[2]! << 16) | (code[3]! << 24)) >>> 0;
  const next = wrap64(pc + 4n);
  return hint(word, next) ?? addSubImmediate(word, next) ?? moveRegister(word, next) ?? moveWide(word, next) ?? pcRelative(word, pc, next)
    ?? storePair(word, next) ?? storeRegister(word, next);
}

/** HINT #n: 0xd503201f | n << 5. */
function hint(word: number, next: bigint): Emulation | undefined {
  if ((word & 0xfffff01f) >>> 0 !== 0xd503201f) return undefined;
  const n = (word >>> 5) & 0x7f;
  if (n === 0) return guarded(next, [], [], () => ({}));
  const accepts = BTI_ACCEPTS[n];
  if (accepts) return guarded(next, [], accepts, () => ({}));
  // PACIASP (25) and PACIBSP (27): the key's enable bit in SCTLR_EL1 (`SCTLR` in QEMU's target description),
  // read at EL1 only.
  if (n === 25 || n === 27) {
    const enable = n === 25 ? EN_IA : EN_IB;
    return guarded(next, ['SCTLR'], [], (regs) => (currentEl(regs.get('cpsr')!) === 1 && (regs.get('SCTLR')! & enable) === 0n ? {} : undefined));
  }
  return undefined;
}

/** ADD/SUB (immediate), 32 or 64 bits, not setting flags: Rd = Rn +- imm12 (<< 12 if sh); 31 is sp. */
function addSubImmediate(word: number, next: bigint): Emulation | undefined {
  if ((word & 0x7f800000) >>> 0 !== 0x11000000 && (word & 0x7f800000) >>> 0 !== 0x51000000) return undefined;
  const is64 = (word >>> 31) === 1;
  const subtract = ((word >>> 30) & 1) === 1;
  const imm = BigInt((word >>> 10) & 0xfff) << (((word >>> 22) & 1) === 1 ? 12n : 0n);
  const source = xOrSp((word >>> 5) & 31);
  const destination = xOrSp(word & 31);
  return guarded(next, [source], [], (regs) => {
    const value = regs.get(source)!;
    const result = subtract ? value - imm : value + imm;
    return { [destination]: is64 ? wrap64(result) : BigInt.asUintN(32, result) };
  });
}

/** MOV Xd, Xm (ORR Xd, XZR, Xm): 31 is xzr on both sides. */
function moveRegister(word: number, next: bigint): Emulation | undefined {
  if ((word & 0xffe0ffe0) >>> 0 !== 0xaa0003e0) return undefined;
  const m = (word >>> 16) & 31;
  const d = word & 31;
  const source = m === 31 ? undefined : `x${m}`;
  return guarded(next, source ? [source] : [], [], (regs) => (d === 31 ? {} : { [`x${d}`]: source ? regs.get(source)! : 0n }));
}

/** MOVZ Xd/Wd, #imm16, LSL #(hw * 16): `mov w0, #0`; 31 is xzr. */
function moveWide(word: number, next: bigint): Emulation | undefined {
  if ((word & 0x7f800000) >>> 0 !== 0x52800000) return undefined;
  const is64 = (word >>> 31) === 1;
  const hw = (word >>> 21) & 3;
  if (!is64 && hw > 1) return undefined;
  const d = word & 31;
  const value = BigInt((word >>> 5) & 0xffff) << BigInt(hw * 16);
  return guarded(next, [], [], () => (d === 31 ? {} : { [`x${d}`]: value }));
}

/** ADR Xd, label (pc + imm21) and ADRP Xd, label (the pc's 4 KiB page + imm21 pages): a global's address. */
function pcRelative(word: number, pc: bigint, next: bigint): Emulation | undefined {
  if ((word & 0x1f000000) >>> 0 !== 0x10000000) return undefined;
  const imm = BigInt.asIntN(21, BigInt((((word >>> 5) & 0x7ffff) << 2) | ((word >>> 29) & 3)));
  const page = (word >>> 31) === 1;
  const d = word & 31;
  const value = wrap64(page ? (pc & ~0xfffn) + (imm << 12n) : pc + imm);
  return guarded(next, [], [], () => (d === 31 ? {} : { [`x${d}`]: value }));
}

/** STP Xt, Xt2, [sp, #imm7 * 8] with pre-index (!), post-index or a plain offset; 31 is xzr. */
function storePair(word: number, next: bigint): Emulation | undefined {
  const form = PAIR_FORMS[(word & 0xffc00000) >>> 0];
  if (!form || ((word >>> 5) & 31) !== 31) return undefined;
  const offset = BigInt.asIntN(7, BigInt((word >>> 15) & 0x7f)) * 8n;
  return spStore(next, form, offset, [xOrZero(word & 31), xOrZero((word >>> 10) & 31)]);
}

/** STR Xt, [sp, #imm9]! / [sp], #imm9 / [sp, #imm12 * 8]; 31 is xzr. */
function storeRegister(word: number, next: bigint): Emulation | undefined {
  if (((word >>> 5) & 31) !== 31) return undefined;
  const t = xOrZero(word & 31);
  if ((word & 0xffc00000) >>> 0 === 0xf9000000) return spStore(next, 'offset', BigInt((word >>> 10) & 0xfff) * 8n, [t]);
  const form = REGISTER_FORMS[(word & 0xffe00c00) >>> 0];
  if (!form) return undefined;
  return spStore(next, form, BigInt.asIntN(9, BigInt((word >>> 12) & 0x1ff)), [t]);
}

/** Stores `sources` (undefined: xzr) as consecutive 8-byte words at sp (+ offset unless post-indexed). */
function spStore(next: bigint, form: Indexing, offset: bigint, sources: (string | undefined)[]): Emulation {
  const named = sources.filter((s): s is string => s !== undefined);
  const store = instruction(next, ['sp', ...named], [], (regs) => {
    const sp = regs.get('sp')!;
    if ((sp & 0xfn) !== 0n) return undefined;
    const address = wrap64(form === 'post' ? sp : sp + offset);
    const writes = sources.map((source, i) => ({ address: wrap64(address + BigInt(i) * 8n), size: 8, value: source ? regs.get(source)! : 0n }));
    const registers: Record<string, bigint> = form === 'offset' ? {} : { sp: wrap64(sp + offset) };
    return { registers, writes };
  });
  return { ...store, writesStack: true };
}

/** An instruction that only sets registers: `effect` gives them (undefined: not emulated in this state). */
function guarded(next: bigint, reads: string[], accepts: readonly bigint[], effect: (regs: ReadonlyMap<string, bigint>) => Record<string, bigint> | undefined): Emulation {
  return instruction(next, reads, accepts, (regs) => {
    const registers = effect(regs);
    return registers && { registers, writes: [] };
  });
}

/**
 * One instruction: `effect` gives the registers it sets besides the pc and cpsr, and its stack writes
 * (undefined: not emulated in this state). It runs only with PSTATE.BTYPE clear or one of `accepts` (a
 * compatible BTI), and leaves BTYPE clear.
 */
function instruction(next: bigint, reads: string[], accepts: readonly bigint[], effect: (regs: ReadonlyMap<string, bigint>) => EmulatedEffect | undefined): Emulation {
  return {
    length: 4, reads: [...new Set(['cpsr', ...reads])], writesStack: false,
    execute: (regs) => {
      const cpsr = regs.get('cpsr')!;
      const btype = (cpsr & BTYPE_MASK) >> 10n;
      if (btype !== 0n && !accepts.includes(btype)) return undefined;
      const done = effect(regs);
      if (!done) return undefined;
      return { registers: { ...done.registers, ...(btype !== 0n ? { cpsr: cpsr & ~BTYPE_MASK } : {}), pc: next }, writes: done.writes };
    },
  };
}

/** PSTATE.EL: cpsr bits 3-2. */
function currentEl(cpsr: bigint): number {
  return Number((cpsr >> 2n) & 3n);
}

function xOrSp(n: number): string {
  return n === 31 ? 'sp' : `x${n}`;
}

function xOrZero(n: number): string | undefined {
  return n === 31 ? undefined : `x${n}`;
}

function wrap64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}
