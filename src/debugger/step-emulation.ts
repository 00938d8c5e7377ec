// Leaves a breakpoint by emulating the instruction under it (the profile's decoder, e.g. arch/x86_64/emulation.ts) and resuming past it in
// the same write: one stop per hit where stepping takes two. Instructions it cannot emulate are stepped.
import type { Emulation } from '../arch/emulation.js';
import type { StepOffEmulation } from './target-rules.js';
import type { GdbTarget } from '../gdb/gdb-target.js';
import type { StopReply } from '../gdb/rsp-codec.js';
import type { StopRegisters } from './stop-registers.js';
import type { LoadRange } from '../symbols/symbol-table.js';


interface Emulated {
  pc: bigint;
  code: Uint8Array;
  emulation: Emulation;
}

type Resumed = StopReply | 'halted';

export class StepEmulator {
  /** The instruction emulated last: a loop hits the same breakpoint again, so its inputs are read ahead. */
  private last: Emulated | undefined;
  /** What the read-ahead found for this stop: the instruction, still the same bytes, and its operand. */
  private ahead: { emulated: Emulated; operand: bigint | undefined } | undefined;
  /** Breakpoints whose instruction has no emulation: stepped from then on, without reading their code again. */
  private readonly stepped = new Set<bigint>();

  /** `writable`: where memory operands may be written (see DebugPlan.writable). */
  constructor(private readonly target: GdbTarget, private readonly pcRegister: string, private readonly arch: StepOffEmulation, private readonly writable: readonly LoadRange[]) {}

  /**
   * The pc of this stop, read in one batch with the code, registers and operand of the instruction emulated
   * last, all of which `leave` then finds without another round trip when the stop is that breakpoint again;
   * `alsoRead` registers come in the same batch.
   */
  async readPc(regs: StopRegisters, alsoRead: readonly string[] = []): Promise<bigint> {
    this.ahead = undefined;
    const last = this.last;
    if (!last) return (await regs.read(this.pcRegister, ...alsoRead))[0]!;
    const reads = [...new Set([...readsOf(last.emulation, this.arch.selfStep), ...alsoRead])];
    const { operand } = last.emulation;
    const values = await this.target.readMany([
      { register: this.pcRegister },
      ...reads.map((register) => ({ register })),
      { memory: last.pc, size: this.arch.codeBytes },
      ...(operand ? [{ memory: operand.address, size: operand.size }] : []),
    ]);
    const pc = values[0] as bigint;
    regs.seed(new Map([[this.pcRegister, pc], ...reads.map((name, i) => [name, values[i + 1] as bigint] as const)]));
    const code = values[reads.length + 1] as Uint8Array | undefined;
    if (pc === last.pc && code && sameBytes(code, last.code)) {
      const bytes = values[reads.length + 2] as Uint8Array | undefined;
      this.ahead = { emulated: last, operand: bytes && littleEndian(bytes) };
    }
    return pc;
  }

  /** The breakpoint at `pc` left the guest: its instruction is no longer read ahead at every stop. */
  forget(pc: bigint): void {
    if (this.last?.pc === pc) this.last = undefined;
  }

  /**
   * Emulates the instruction at `pc` and resumes the guest in the same write, unless `staysAt` the next pc
   * (another breakpoint or a pending return): then the guest stays stopped there. Undefined when the
   * instruction must be stepped instead; nothing was changed then.
   */
  async leave(pc: bigint, regs: StopRegisters, resume: (go: () => Promise<StopReply>) => Promise<Resumed>, staysAt: (next: bigint) => boolean): Promise<{ resumed: Resumed } | { next: bigint } | undefined> {
    if (this.stepped.has(pc)) return undefined;
    const found = this.ahead?.emulated.pc === pc ? this.ahead : await this.decode(pc);
    if (!found) return undefined;
    const { emulation } = found.emulated;
    if (emulation.operand && found.operand === undefined) return undefined;
    const reads = readsOf(emulation, this.arch.selfStep);
    const values = await regs.read(...reads);
    const registers = new Map(reads.map((name, i) => [name, values[i]!]));
    const { selfStep } = this.arch;
    // A guest single-stepping itself expects a trap after the instruction, which emulation would skip.
    if (selfStep && (registers.get(selfStep.register)! & selfStep.mask) !== 0n) return undefined;
    const effect = emulation.execute(registers, found.operand);
    if (!effect) return undefined;
    // A stack write may fault where a real push would: try it first, alone, so a refusal changes nothing.
    if (emulation.writesStack) {
      for (const write of effect.writes) {
        try {
          await this.target.writeUnsigned(write.address, write.size, write.value);
        } catch {
          return undefined;
        }
      }
    }
    this.last = found.emulated;
    // The operand was read just now, so writing it back cannot fail: it goes in the batch with the resume.
    const writes = emulation.writesStack ? [] : effect.writes;
    const next = effect.registers[this.pcRegister]!;
    if (staysAt(next)) {
      await this.target.writeMany(effect.registers, writes, false);
      return { next };
    }
    return { resumed: await resume(async () => (await this.target.writeMany(effect.registers, writes, true))!) };
  }

  private isWritable(address: bigint, size: number): boolean {
    return this.writable.some((r) => address >= r.start && address + BigInt(size) <= r.end);
  }

  private async decode(pc: bigint): Promise<{ emulated: Emulated; operand: bigint | undefined } | undefined> {
    const [code] = await this.target.readMany([{ memory: pc, size: this.arch.codeBytes }]);
    const emulation = code instanceof Uint8Array ? this.arch.decode(code, pc) : undefined;
    if (!emulation || (emulation.operand && !this.isWritable(emulation.operand.address, emulation.operand.size))) {
      this.stepped.add(pc);
      return undefined;
    }
    const [bytes] = emulation.operand ? await this.target.readMany([{ memory: emulation.operand.address, size: emulation.operand.size }]) : [undefined];
    return { emulated: { pc, code: code as Uint8Array, emulation }, operand: bytes instanceof Uint8Array ? littleEndian(bytes) : undefined };
  }
}

/** What an emulation reads, and the register holding the architecture's self-step bit, if it has one. */
function readsOf(emulation: Emulation, selfStep: StepOffEmulation['selfStep']): string[] {
  return !selfStep || emulation.reads.includes(selfStep.register) ? emulation.reads : [...emulation.reads, selfStep.register];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}
