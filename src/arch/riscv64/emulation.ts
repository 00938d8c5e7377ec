// Emulates a few RV64 instructions that start functions, so a breakpoint can be left without a single step
// (see arch/emulation.ts). Pure: it decodes an instruction and computes effects.
//
// Each is exact: ADDI (with NOP and MV as its aliases: `addi sp, sp, -N`, `addi s0, sp, N`), LUI and AUIPC (a
// constant, a global's address: `auipc a5, ...` starts many leaf functions), SD based on sp (`sd ra, N(sp)`), and
// the compressed C.NOP, C.ADDI, C.LI, C.LUI, C.ADDI16SP, C.ADDI4SPN, C.MV and C.SDSP; the HINT forms
// (a destination x0) change nothing but the pc, as the ISA defines them. A store refuses an address that is
// not 8-byte aligned, which the CPU may trap on (or a firmware emulate). Data is little-endian on RISC-V.
// The guest cannot single-step itself (dcsr.step belongs to an external debugger), so no state bit is checked.

import type { Emulation } from '../emulation.js';

/** x0-x31 as QEMU's target description names them (x8 is `fp`, which the psABI also calls s0). */
const X = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

/** The emulation of the instruction at `pc` (its first 4 bytes in `code`; 2 suffice for a compressed one). */
export function decodeEmulation(code: Uint8Array, pc: bigint): Emulation | undefined {
  if (code.length < 2) return undefined;
  const half = code[0]! | (code[1]! << 8);
  if ((half & 3) !== 3) return compressed(half, pc);
  if (code.length < 4) return undefined;
  const word = (half | (code[2]! << 16) | (code[3]! << 24)) >>> 0;
  const opcode = word & 0x7f;
  const funct3 = (word >>> 12) & 7;
  const rd = (word >>> 7) & 31;
  const rs1 = (word >>> 15) & 31;
  // ADDI rd, rs1, imm12 (I-type).
  if (opcode === 0x13 && funct3 === 0) return addImmediate(pc, 4, rd, rs1, BigInt(word >> 20));
  // LUI rd, imm20 and AUIPC rd, imm20 (U-type): imm20 << 12 sign-extended, plus the pc for AUIPC.
  if (opcode === 0x37 || opcode === 0x17) return constant(pc, 4, rd, BigInt((word & 0xfffff000) | 0) + (opcode === 0x17 ? pc : 0n));
  // SD rs2, imm12(rs1) (S-type), sp-based.
  if (opcode === 0x23 && funct3 === 3 && rs1 === 2) {
    const offset = BigInt(((word >> 25) << 5) | ((word >>> 7) & 31));
    return spStore(pc, 4, (word >>> 20) & 31, offset);
  }
  return undefined;
}

/** A 16-bit RVC instruction: quadrant in bits 1-0, funct3 in bits 15-13. */
function compressed(half: number, pc: bigint): Emulation | undefined {
  const quadrant = half & 3;
  const funct3 = half >>> 13;
  const bit = (n: number): number => (half >>> n) & 1;
  const rd = (half >>> 7) & 31;
  const rs2 = (half >>> 2) & 31;
  // The 6-bit signed immediate of C.ADDI/C.NOP: bit 12, then bits 6-2.
  const imm6 = BigInt.asIntN(6, BigInt((bit(12) << 5) | rs2));
  if (quadrant === 1 && funct3 === 0) return addImmediate(pc, 2, rd, rd, imm6);
  // C.LI rd, imm6.
  if (quadrant === 1 && funct3 === 2) return constant(pc, 2, rd, imm6);
  // C.LUI rd, nzimm[17:12] (rd 2 is C.ADDI16SP, below; a zero immediate is reserved).
  if (quadrant === 1 && funct3 === 3 && rd !== 2) return imm6 === 0n ? undefined : constant(pc, 2, rd, imm6 << 12n);
  if (quadrant === 1 && funct3 === 3 && rd === 2) {
    // C.ADDI16SP: nzimm[9|4|6|8:7|5] in bits 12|6|5|4:3|2.
    const nzimm = (bit(12) << 9) | (bit(6) << 4) | (bit(5) << 6) | (((half >>> 3) & 3) << 7) | (bit(2) << 5);
    if (nzimm === 0) return undefined;
    return addImmediate(pc, 2, 2, 2, BigInt.asIntN(10, BigInt(nzimm)));
  }
  if (quadrant === 0 && funct3 === 0) {
    // C.ADDI4SPN rd', sp, nzuimm[5:4|9:6|2|3] in bits 12:11|10:7|6|5; all zero is the defined illegal instruction.
    const nzuimm = (((half >>> 11) & 3) << 4) | (((half >>> 7) & 15) << 6) | (bit(6) << 2) | (bit(5) << 3);
    if (nzuimm === 0) return undefined;
    return addImmediate(pc, 2, 8 + ((half >>> 2) & 7), 2, BigInt(nzuimm));
  }
  // C.MV rd, rs2 (funct4 1000; rs2 = 0 is C.JR).
  if (quadrant === 2 && funct3 === 4 && bit(12) === 0 && rs2 !== 0) return addImmediate(pc, 2, rd, rs2, 0n);
  if (quadrant === 2 && funct3 === 7) {
    // C.SDSP rs2, uimm[5:3|8:6] in bits 12:10|9:7.
    const uimm = (((half >>> 10) & 7) << 3) | (((half >>> 7) & 7) << 6);
    return spStore(pc, 2, rs2, BigInt(uimm));
  }
  return undefined;
}

/** rd := rs1 + imm (x0 reads as zero; a write to it is dropped). */
function addImmediate(pc: bigint, length: number, rd: number, rs1: number, imm: bigint): Emulation {
  const source = X[rs1]!;
  const next = wrap64(pc + BigInt(length));
  return {
    length, reads: rs1 === 0 || rd === 0 ? [] : [source], writesStack: false,
    execute: (regs) => ({
      registers: { ...(rd === 0 ? {} : { [X[rd]!]: wrap64((rs1 === 0 ? 0n : regs.get(source)!) + imm) }), pc: next },
      writes: [],
    }),
  };
}

/** rd := value, known from the instruction and its address alone. */
function constant(pc: bigint, length: number, rd: number, value: bigint): Emulation {
  const next = wrap64(pc + BigInt(length));
  return {
    length, reads: [], writesStack: false,
    execute: () => ({ registers: { ...(rd === 0 ? {} : { [X[rd]!]: wrap64(value) }), pc: next }, writes: [] }),
  };
}

/** SD rs2, offset(sp): 8 bytes, little-endian. */
function spStore(pc: bigint, length: number, rs2: number, offset: bigint): Emulation {
  const source = X[rs2]!;
  const next = wrap64(pc + BigInt(length));
  return {
    length, reads: rs2 === 0 || rs2 === 2 ? ['sp'] : ['sp', source], writesStack: true,
    execute: (regs) => {
      const address = wrap64(regs.get('sp')! + offset);
      if ((address & 7n) !== 0n) return undefined;
      return { registers: { pc: next }, writes: [{ address, size: 8, value: rs2 === 0 ? 0n : regs.get(source)! }] };
    },
  };
}

function wrap64(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}
