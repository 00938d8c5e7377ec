// What an architecture's breakpoint step-off decoder gives the debugger: the effect of one instruction, computed
// from registers (and one memory operand), so the client can apply it through the GDB stub and resume past it
// instead of single-stepping. Each architecture's decoder lives in its own folder (x86_64/emulation.ts...).

export interface MemoryWrite {
  address: bigint;
  size: number;
  value: bigint;
}

export interface EmulatedEffect {
  /** New register values (the pc always among them). */
  registers: Record<string, bigint>;
  writes: MemoryWrite[];
}

export interface Emulation {
  /** Instruction length in bytes. */
  length: number;
  /** Registers the effect is computed from (besides the pc, which is the breakpoint's address). */
  reads: string[];
  /** A memory operand the instruction reads and writes back: read it before `execute`. */
  operand?: { address: bigint; size: 4 | 8 };
  /** Writes go to the stack (PUSH, CALL): unlike the operand, their address is not read first. */
  writesStack: boolean;
  /**
   * The effect given the `reads` registers (and the operand); undefined when in this state the effect is not
   * the decoder's to know (a key it cannot see, a check the CPU makes first): then the instruction is stepped.
   */
  execute(registers: ReadonlyMap<string, bigint>, operand?: bigint): EmulatedEffect | undefined;
}

