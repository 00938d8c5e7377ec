// The registers of the current vCPU during one stop: `p`/`P` one by one, or one `g`/`G` for several.
import { GdbError } from '../gdb/gdb-client.js';
import type { GdbTarget } from '../gdb/gdb-target.js';
import type { RegisterBlock } from '../gdb/register-block.js';
import { readsWithG, type TargetRules } from './target-rules.js';

/** Make one per stop (and per vCPU selected): what it read stays valid only while the vCPU does not run. */
export class StopRegisters {
  private block: RegisterBlock | undefined;
  /** Values already read this stop by other means (a pipelined batch): not read again. */
  private readonly known = new Map<string, bigint>();

  constructor(private readonly target: GdbTarget, private readonly rules: TargetRules) {}

  /** Takes values read for this stop elsewhere. */
  seed(values: ReadonlyMap<string, bigint>): void {
    for (const [name, value] of values) this.known.set(name, value);
  }

  /** Values in the order of `names`; one `g` for several (or whenever the rules say so), else `p`. */
  async read(...names: string[]): Promise<bigint[]> {
    if (names.every((name) => this.known.has(name))) return names.map((name) => this.known.get(name)!);
    if (!this.block && readsWithG(this.rules, names.length)) this.block = await this.target.readRegisters();
    const block = this.block;
    if (!block) return Promise.all(names.map((name) => this.target.readRegister(name)));
    return names.map((name) => {
      const value = block.values.get(name);
      if (value === undefined) throw new GdbError(`register ${name} is ${block.unavailable.includes(name) ? 'unavailable (xx)' : 'not'} in the g reply`);
      return value;
    });
  }

  async readOne(name: string): Promise<bigint> {
    return (await this.read(name))[0]!;
  }

  /**
   * Writes several registers with one `G` when this stop already read a `g` block, else with a `P` each:
   * measured on QEMU 7.2 under TCG, `g` + `G` take longer than three `P`. Later reads see the values.
   */
  async write(values: Record<string, bigint>): Promise<void> {
    const names = Object.keys(values);
    for (const name of names) this.known.delete(name);
    // Under KVM a `P` without a `g` first is as stale as a `p`: it writes over values QEMU never fetched.
    if (!this.block && this.rules.registersNeedG) this.block = await this.target.readRegisters();
    const block = this.block;
    // As the stub will read them back: unsigned, in the register's width.
    const wrap = (name: string): bigint => BigInt.asUintN(this.target.register(name).bitsize, values[name]!);
    if (block && names.length >= 2 && block.unavailable.length === 0) {
      for (const name of names) block.values.set(name, wrap(name));
      await this.target.writeRegisters(block);
      return;
    }
    for (const name of names) {
      await this.target.writeRegister(name, values[name]!);
      block?.values.set(name, wrap(name));
    }
  }
}
