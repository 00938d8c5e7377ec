// GDB commands on QEMU's stub: target description, registers, memory, break/watchpoints, resume.
import { GdbClient, GdbError } from './gdb-client.js';
import { decodeRegisterBlock, encodeRegisterBlock, type RegisterBlock } from './register-block.js';
import { bigIntToLeHex, formatThreadId, leHexToBigInt, parseStopReply, parseThreadList, parseVContActions, toHexAddress, type StopReply, type ThreadId } from './rsp-codec.js';
import { buildRegisterMap, parseTargetXml, type RegisterInfo, type RegisterMap, type TargetXml } from './target-description.js';

/** Z/z packet types: 0 software, 1 hardware breakpoint, 2 write, 3 read, 4 access watchpoint. */
export type PointType = 0 | 1 | 2 | 3 | 4;

const XFER_CHUNK = 0x800;

export class GdbTarget {
  /**
   * `vContSteps`: the stub steps one named thread with `vCont;s:<id>` and leaves the others stopped. A plain
   * `s` on QEMU 7.2 resumes every vCPU while it steps the current one, so another vCPU can stop first.
   */
  protected constructor(private readonly client: GdbClient, readonly registers: RegisterMap, readonly vContSteps: boolean) {}

  /** Handshake, register layout and resume packets; QEMU 7.2 answers p/P only once target.xml has been read. */
  static async attach(client: GdbClient): Promise<GdbTarget> {
    const features = await client.request('qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386');
    if (!features.includes('qXfer:features:read+')) throw new GdbError(`the GDB stub does not serve target descriptions (qSupported: ${features})`);
    const documents: TargetXml[] = [];
    const pending = ['target.xml'];
    while (pending.length > 0) {
      const document = parseTargetXml(await readXfer(client, pending.shift()!));
      documents.push(document);
      pending.push(...document.includes);
    }
    const vCont = parseVContActions(await client.request('vCont?'));
    await client.request('?');
    return new GdbTarget(client, buildRegisterMap(documents), vCont.has('s') && vCont.has('c'));
  }

  register(name: string): RegisterInfo {
    const info = this.registers.byName.get(name);
    if (!info) throw new GdbError(`the target has no register "${name}"`);
    return info;
  }

  async readRegister(name: string): Promise<bigint> {
    return registerValue(name, await this.client.request(this.readPacket(name)));
  }

  async writeRegister(name: string, value: bigint): Promise<void> {
    expectOk(await this.client.request(this.writePacket(name, value)), `writing register ${name}`);
  }

  private readPacket(name: string): string {
    return `p${this.register(name).regnum.toString(16)}`;
  }

  /** `P` with the value wrapped to the register's width, little-endian. */
  private writePacket(name: string, value: bigint): string {
    const info = this.register(name);
    return `P${info.regnum.toString(16)}=${bigIntToLeHex(BigInt.asUintN(info.bitsize, value), info.bitsize / 8)}`;
  }

  /** Every register of the current vCPU in one `g`; under KVM only `g` makes QEMU 7.2 fetch fresh values. */
  async readRegisters(): Promise<RegisterBlock> {
    const reply = await this.client.request('g');
    if (reply === '' || /^E[0-9a-fA-F]{2}$/.test(reply)) throw new GdbError(`reading all registers (g) failed (${reply || 'empty reply'})`);
    try {
      return decodeRegisterBlock(this.registers, reply);
    } catch (error) {
      throw new GdbError(`the g reply does not fit the target description: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Writes a block read with `readRegisters` (values changed as needed) back in one `G`. */
  async writeRegisters(block: RegisterBlock): Promise<void> {
    let payload: string;
    try {
      payload = encodeRegisterBlock(block);
    } catch (error) {
      throw new GdbError(`cannot write all registers with G: ${(error as Error).message}`, { cause: error });
    }
    expectOk(await this.client.request(`G${payload}`), 'writing all registers (G)');
  }

  /** `size` bytes at `address` as an unsigned little-endian integer (guest memory on x86_64 and aarch64). */
  async readUnsigned(address: bigint, size: number): Promise<bigint> {
    const reply = await this.client.request(memoryReadPacket(address, size));
    if (reply.startsWith('E') && reply.length === 3) throw new GdbError(`reading ${size} bytes at 0x${address.toString(16)} failed (${reply})`);
    return leHexToBigInt(reply);
  }

  /** Writes `size` bytes of `value`, little-endian, at `address`. */
  async writeUnsigned(address: bigint, size: number, value: bigint): Promise<void> {
    expectOk(await this.client.request(mPacket(address, size, value)), `writing ${size} bytes at 0x${address.toString(16)}`);
  }

  /**
   * Registers and memory of the stopped vCPU in one pipelined write: a value per read, in order (memory as
   * raw bytes), or undefined for memory the stub could not read. A register that cannot be read throws.
   */
  async readMany(reads: readonly ({ register: string } | { memory: bigint; size: number })[]): Promise<(bigint | Uint8Array | undefined)[]> {
    const replies = await this.client.pipeline(reads.map((read) => ('register' in read ? this.readPacket(read.register) : memoryReadPacket(read.memory, read.size))));
    return reads.map((read, i) => {
      const reply = replies[i]!;
      if ('register' in read) return registerValue(read.register, reply);
      return reply.length !== read.size * 2 || !/^[0-9a-fA-F]*$/.test(reply) ? undefined : new Uint8Array(Buffer.from(reply, 'hex'));
    });
  }

  /**
   * Memory writes (to addresses known to be writable) and register writes in one pipelined write, then a
   * continue in the same write unless `resume` is false (of `thread` alone when given, as `continue`). A write
   * the stub refuses throws once the batch is answered: with `resume` the guest already runs then.
   */
  async writeMany(registers: Record<string, bigint>, memory: readonly { address: bigint; size: number; value: bigint }[], resume: boolean, thread?: ThreadId): Promise<StopReply | undefined> {
    const writes = [
      ...memory.map((m) => mPacket(m.address, m.size, m.value)),
      ...Object.entries(registers).map(([name, value]) => this.writePacket(name, value)),
    ];
    const replies = await this.client.pipeline(writes, resume ? this.continuePacket(thread) : undefined);
    writes.forEach((packet, i) => expectOk(replies[i]!, `the pipelined write ${packet.slice(0, 40)}`));
    return resume ? parseStopReply(replies.at(-1)!) : undefined;
  }

  async insertPoint(type: PointType, address: bigint, kind: number): Promise<void> {
    const reply = await this.client.request(`Z${type},${toHexAddress(address)},${kind.toString(16)}`);
    if (reply === '') throw new GdbError(`the GDB stub does not support Z${type} (${pointName(type)})`);
    expectOk(reply, `inserting a ${pointName(type)} at 0x${address.toString(16)}`);
  }

  async removePoint(type: PointType, address: bigint, kind: number): Promise<void> {
    expectOk(await this.client.request(`z${type},${toHexAddress(address)},${kind.toString(16)}`), `removing a ${pointName(type)} at 0x${address.toString(16)}`);
  }

  /** Every thread (vCPU on QEMU) the stub reports: `qfThreadInfo`, then `qsThreadInfo` until it says `l`. */
  async threads(): Promise<ThreadId[]> {
    const threads: ThreadId[] = [];
    for (let reply = await this.client.request('qfThreadInfo'); ; reply = await this.client.request('qsThreadInfo')) {
      let list: ReturnType<typeof parseThreadList>;
      try {
        list = parseThreadList(reply);
      } catch (error) {
        throw new GdbError(`listing threads failed: ${(error as Error).message}`, { cause: error });
      }
      if (list.done) return threads;
      threads.push(...list.threads);
    }
  }

  /** Makes `thread` current for register and memory access (`Hg`); QEMU does so itself for the vCPU that stopped. */
  async selectThread(thread: ThreadId): Promise<void> {
    expectOk(await this.client.request(`Hg${formatThreadId(thread)}`), `selecting thread ${formatThreadId(thread)}`);
  }

  /**
   * Makes `thread` the one QEMU names in the stop reply of a pause (0x03) and continues or steps with a plain
   * `c`/`s` (`Hc`); a vCPU that takes a debug exception makes itself that thread.
   */
  async selectStopThread(thread: ThreadId): Promise<void> {
    expectOk(await this.client.request(`Hc${formatThreadId(thread)}`), `selecting thread ${formatThreadId(thread)} for continue (Hc)`);
  }

  /** Stops the running guest (0x03): the pending continue or step returns the stop. False when nothing runs. */
  interrupt(): boolean {
    return this.client.interrupt();
  }

  /**
   * Resumes every vCPU, or `thread` alone (`vCont;c:<id>`: QEMU resumes only the vCPUs named), and waits for
   * the next stop. Without vCont every vCPU runs.
   */
  async continue(thread?: ThreadId): Promise<StopReply> {
    return parseStopReply(await this.client.resume(this.continuePacket(thread)));
  }

  private continuePacket(thread: ThreadId | undefined): string {
    if (!this.vContSteps) return 'c';
    return thread ? `vCont;c:${formatThreadId(thread)}` : 'vCont;c';
  }

  /**
   * Single-steps `thread` alone when the stub has vCont; otherwise (or without a thread) the vCPU that stopped
   * last, QEMU making it current on every stop, while the others run.
   */
  async step(thread?: ThreadId): Promise<StopReply> {
    return parseStopReply(await this.client.resume(this.vContSteps && thread ? `vCont;s:${formatThreadId(thread)}` : 's'));
  }
}

async function readXfer(client: GdbClient, annex: string): Promise<string> {
  let text = '';
  for (;;) {
    const reply = await client.request(`qXfer:features:read:${annex}:${text.length.toString(16)},${XFER_CHUNK.toString(16)}`);
    if (reply.startsWith('E') || reply === '') throw new GdbError(`reading the target description ${annex} failed (${reply || 'empty reply'})`);
    text += reply.slice(1);
    if (reply[0] === 'l') return text;
  }
}

function registerValue(name: string, reply: string): bigint {
  if (reply === '' || reply.startsWith('E')) throw new GdbError(`reading register ${name} failed (${reply || 'empty reply'})`);
  return leHexToBigInt(reply);
}

function memoryReadPacket(address: bigint, size: number): string {
  return `m${toHexAddress(address)},${size.toString(16)}`;
}

function mPacket(address: bigint, size: number, value: bigint): string {
  return `M${toHexAddress(address)},${size.toString(16)}:${bigIntToLeHex(BigInt.asUintN(size * 8, value), size)}`;
}

function expectOk(reply: string, what: string): void {
  if (reply !== 'OK') throw new GdbError(`${what}: the GDB stub answered ${reply ? `"${reply}"` : 'nothing (not supported)'}`);
}

function pointName(type: PointType): string {
  return ['software breakpoint', 'hardware breakpoint', 'write watchpoint', 'read watchpoint', 'access watchpoint'][type]!;
}
