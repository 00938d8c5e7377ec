// The registers of the current vCPU during one stop: pipelined `p`/`P`, or `g`/`G` where `p` may be stale.
import { GdbError } from '../gdb/gdb-client.js';
import type { GdbTarget } from '../gdb/gdb-target.js';
import type { StopReply, ThreadId } from '../gdb/rsp-codec.js';
import type { RegisterBlock } from '../gdb/register-block.js';
import type { TargetRules } from './target-rules.js';

/** Make one per stop (and per vCPU selected): what it read stays valid only while the vCPU does not run. */
export class StopRegisters {
  private block: RegisterBlock | undefined;
  /** Values read this stop, here or in a batch elsewhere: not read again. */
  private readonly known = new Map<string, bigint>();

  constructor(private readonly target: GdbTarget, private readonly rules: TargetRules) {}

  /** Takes values read for this stop elsewhere. */
  seed(values: ReadonlyMap<string, bigint>): void {
    for (const [name, value] of values) this.known.set(name, value);
  }

  /**
   * Values in the order of `names`: the missing ones in one pipelined batch of `p` (on QEMU 7.2 under TCG
   * cheaper than a `g`, which sends the whole register file), or from one `g` where the rules say `p`
   * may be stale. What was read stays known for the rest of the stop.
   */
  async read(...names: string[]): Promise<bigint[]> {
    const missing = names.filter((name) => !this.known.has(name));
    if (missing.length === 0) return names.map((name) => this.known.get(name)!);
    if (!this.block && this.rules.registersNeedG) this.block = await this.target.readRegisters();
    const block = this.block;
    if (!block) {
      const values = await this.target.readMany(missing.map((register) => ({ register })));
      missing.forEach((name, i) => this.known.set(name, values[i] as bigint));
      return names.map((name) => this.known.get(name)!);
    }
    return names.map((name) => {
      const value = this.known.get(name) ?? block.values.get(name);
      if (value === undefined) throw new GdbError(`register ${name} is ${block.unavailable.includes(name) ? 'unavailable (xx)' : 'not'} in the g reply`);
      return value;
    });
  }

  async readOne(name: string): Promise<bigint> {
    return (await this.read(name))[0]!;
  }

  /**
   * Writes registers: one pipelined batch of `P`, or one `G` when this stop already read a `g` block
   * (measured on QEMU 7.2 under TCG, `g` + `G` take longer than three `P`). Later reads see the values.
   */
  async write(values: Record<string, bigint>): Promise<void> {
    if (await this.writeBlock(values)) return;
    await this.target.writeMany(values, [], false);
  }

  /**
   * Writes registers and resumes the guest (`thread` alone when given), in one pipelined write where no `g`
   * block is involved.
   */
  async writeAndContinue(values: Record<string, bigint>, thread?: ThreadId): Promise<StopReply> {
    if (await this.writeBlock(values)) return this.target.continue(thread);
    return (await this.target.writeMany(values, [], true, thread))!;
  }

  /** The write through the `g` block, when the rules made this stop read one: false (nothing written) without. */
  private async writeBlock(values: Record<string, bigint>): Promise<boolean> {
    const names = Object.keys(values);
    for (const name of names) this.known.delete(name);
    // Under KVM a `P` without a `g` first is as stale as a `p`: it writes over values QEMU never fetched.
    if (!this.block && this.rules.registersNeedG) this.block = await this.target.readRegisters();
    const block = this.block;
    if (!block) return false;
    // As the stub will read them back: unsigned, in the register's width.
    const wrap = (name: string): bigint => BigInt.asUintN(this.target.register(name).bitsize, values[name]!);
    if (names.length >= 2 && block.unavailable.length === 0) {
      for (const name of names) block.values.set(name, wrap(name));
      await this.target.writeRegisters(block);
      return true;
    }
    for (const name of names) {
      await this.target.writeRegister(name, values[name]!);
      block.values.set(name, wrap(name));
    }
    return true;
  }
}
