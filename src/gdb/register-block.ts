// `g` replies and `G` payloads: all registers at once, laid out as the target description says. Pure.
import { bigIntToLeHex, leHexToBigInt } from './rsp-codec.js';
import type { RegisterInfo, RegisterMap } from './target-description.js';

/** One `g` reply, decoded. Change `values` and encode it again for `G`. */
export interface RegisterBlock {
  /** The registers the reply carried, in `g` order: a prefix of the description (stubs may leave extra features out). */
  covered: readonly RegisterInfo[];
  /** Values of the covered registers the stub had. */
  values: Map<string, bigint>;
  /** Covered registers the stub sent as `xx` bytes: it could not read them. */
  unavailable: string[];
}

/**
 * Decodes a `g` reply: the registers in regnum order, each `bitsize / 8` bytes as little-endian hex, e.g.
 * `0100000000000000` (rax = 1) then rbx... on QEMU's x86_64 (608 bytes). A register with any `xx` byte is
 * unavailable, as gdb treats it. The reply may stop at a register boundary before the end of the description;
 * the registers after it are not covered. Throws naming the length or the register when the reply does not fit.
 */
export function decodeRegisterBlock(map: RegisterMap, reply: string): RegisterBlock {
  if (reply.length % 2 !== 0) throw new Error(`g reply has odd length ${reply.length}; every byte takes two hex digits`);
  const bytes = reply.length / 2;
  if (bytes > map.gPacketBytes) throw new Error(`g reply has ${bytes} bytes, more than the ${map.gPacketBytes} the target description lays out`);
  const covered: RegisterInfo[] = [];
  const block: RegisterBlock = { covered, values: new Map(), unavailable: [] };
  for (const reg of map.registers) {
    if (reg.offset >= bytes) break;
    const end = reg.offset + reg.bitsize / 8;
    if (end > bytes) throw new Error(`g reply ends inside register ${reg.name} (bytes ${reg.offset}-${end - 1}); it has ${bytes} bytes`);
    const hex = reply.slice(reg.offset * 2, end * 2);
    covered.push(reg);
    if (/x/i.test(hex)) {
      if (!/^(?:xx|[0-9a-fA-F]{2})+$/i.test(hex)) throw new Error(`register ${reg.name} in the g reply is ${JSON.stringify(hex)}: a byte must be two hex digits or "xx"`);
      block.unavailable.push(reg.name);
    } else {
      block.values.set(reg.name, leHexToBigInt(hex));
    }
  }
  return block;
}

/**
 * The `G` payload (without the `G`) for a block: every covered register, negatives in two's complement. Throws
 * on an unavailable register or one without a value: `G` has no way to leave a register as it is.
 */
export function encodeRegisterBlock(block: RegisterBlock): string {
  let hex = '';
  for (const reg of block.covered) {
    const value = block.values.get(reg.name);
    if (value === undefined) {
      const why = block.unavailable.includes(reg.name) ? 'was unavailable in the g reply' : 'has no value';
      throw new Error(`register ${reg.name} ${why}; G writes every register, so write the changed ones with P instead`);
    }
    hex += bigIntToLeHex(BigInt.asUintN(reg.bitsize, value), reg.bitsize / 8);
  }
  return hex;
}
