// GDB Remote Serial Protocol payload codec: checksums, escapes, run-length encoding, hex values, stop replies.
// Pure. Payloads are "latin1 strings", one char per byte (0..255), so binary data round-trips exactly.

/**
 * Received bytes as a latin1 string. Not TextDecoder('latin1'): that one is windows-1252 and remaps
 * 0x80..0x9f; Node's Buffer 'latin1' maps each byte to the char of that code, and does it natively.
 */
export function bytesToLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** A latin1 string as the bytes to write; throws on a char above 0xff, which no byte can carry. */
export function latin1ToBytes(text: string): Uint8Array {
  assertLatin1(text);
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Sum of the bytes modulo 256: the two hex digits after `#`, computed over the bytes as sent. */
export function checksum(raw: string): number {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) sum = (sum + raw.charCodeAt(i)) & 0xff;
  return sum;
}

/** Frames a payload as `$<escaped>#<checksum>`. `$ # } *` become `}` + (byte ^ 0x20); `*` too, or it would read as RLE. */
export function encodePacket(payload: string): string {
  assertLatin1(payload);
  const body = payload.replace(/[$#}*]/g, (c) => `}${String.fromCharCode(c.charCodeAt(0) ^ 0x20)}`);
  return `$${body}#${checksum(body).toString(16).padStart(2, '0')}`;
}

/**
 * Decodes a received frame body (between `$` and `#`): `}x` is x ^ 0x20, and `X*n` repeats X (n - 29) more
 * times (`0* ` = `0000`), X being the decoded byte before the `*`. Throws when the body is malformed (a
 * dangling `}`, a `*` with nothing to repeat or no count above 29): like a bad checksum, the frame is corrupt.
 */
export function decodePayload(raw: string): string {
  // Most replies (registers, memory, OK, stops) hold neither: nothing to decode.
  if (!raw.includes('}') && !raw.includes('*')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '}') {
      if (i + 1 === raw.length) throw new Error(`dangling "}" escape at the end of ${excerpt(raw)}`);
      out += String.fromCharCode(raw.charCodeAt(++i) ^ 0x20);
    } else if (c === '*') {
      const more = raw.charCodeAt(i + 1) - 29;
      if (out.length === 0 || !(more > 0)) {
        throw new Error(`invalid run-length encoding at byte ${i} of ${excerpt(raw)}: "*" needs a byte before it and a count byte above 29 after it`);
      }
      out += out[out.length - 1]!.repeat(more);
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** Lowercase hex of bytes, as in `m`/`M`/`g` payloads. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Bytes of a hex string (either case); throws naming the length or the bad digit and its index. */
export function hexToBytes(hex: string): Uint8Array {
  assertHexBytes(hex);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Throws unless `hex` is whole bytes of hex digits, naming the length or the bad digit and its index. */
function assertHexBytes(hex: string): void {
  if (hex.length % 2 !== 0) throw new Error(`hex string has odd length ${hex.length}: ${excerpt(hex)}; every byte takes two digits`);
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad !== -1) throw new Error(`bad hex digit ${JSON.stringify(hex[bad])} at index ${bad} of ${excerpt(hex)}`);
}

/** A register value as `g`/`p` send it, little-endian: `0010000000000000` is 0x1000n. */
export function leHexToBigInt(hex: string): bigint {
  assertHexBytes(hex);
  // Byte pairs reversed into one big-endian literal: this runs at every breakpoint hit, and one BigInt
  // parse is much cheaper than shifting a BigInt in per byte.
  let bigEndian = '0x0';
  for (let i = hex.length - 2; i >= 0; i -= 2) bigEndian += hex.slice(i, i + 2);
  return BigInt(bigEndian);
}

/** A register value for `P`/`G`: `bytes` little-endian bytes in hex; negatives in two's complement (-12n = f4ff...). */
export function bigIntToLeHex(value: bigint, bytes: number): string {
  if (!Number.isInteger(bytes) || bytes <= 0) throw new RangeError(`register size must be a positive whole number of bytes, got ${bytes}`);
  const bits = BigInt(bytes * 8);
  if (value >= 1n << bits || value < -(1n << (bits - 1n))) throw new RangeError(`value ${value} does not fit in ${bytes} bytes`);
  const bigEndian = BigInt.asUintN(bytes * 8, value).toString(16).padStart(bytes * 2, '0');
  let hex = '';
  for (let i = bigEndian.length - 2; i >= 0; i -= 2) hex += bigEndian.slice(i, i + 2);
  return hex;
}

/** A big-endian hex number as GDB writes addresses and lengths (`ffffffff81000000`). */
export function hexToBigInt(hex: string): bigint {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw new Error(`not a hex number: ${excerpt(hex)}`);
  return BigInt(`0x${hex}`);
}

/** An address as GDB writes it in `m`/`M`/`Z`/`z` packets: lowercase hex without `0x` or leading zeros. */
export function toHexAddress(address: bigint): string {
  if (address < 0n) throw new RangeError(`address must not be negative, got ${address}`);
  return address.toString(16);
}

/** A thread as the protocol names it: `p<pid>.<tid>` with multiprocess, else `<tid>`; -1 means all, 0 any. */
export interface ThreadId {
  pid?: number;
  tid: number;
}

export type WatchType = 'write' | 'read' | 'access';

export type StopReply =
  | {
      kind: 'signal';
      signal: number;
      thread?: ThreadId;
      watch?: { type: WatchType; address: bigint };
      /** Register number -> little-endian hex value, from `nn:value` pairs. */
      registers?: Map<number, string>;
      reason?: 'swbreak' | 'hwbreak';
    }
  | { kind: 'exited'; code: number }
  | { kind: 'terminated'; signal: number }
  | { kind: 'output'; text: string };

const WATCH_TYPES: Record<string, WatchType> = { watch: 'write', rwatch: 'read', awatch: 'access' };

/**
 * Parses a stop reply or console output packet:
 * `S05`; `T05thread:p01.02;swbreak:;06:d0ff...;` (also `thread:2;`, `watch:`/`rwatch:`/`awatch:<address>`,
 * `hwbreak:;`; other keys such as `core:` are ignored); `W00` / `W00;process:1` (exit code);
 * `X09` (killed by signal); `O<hex>` (console text, latin1). Throws on anything else.
 */
export function parseStopReply(payload: string): StopReply {
  if (/^O(?:[0-9a-fA-F]{2})+$/.test(payload)) return { kind: 'output', text: bytesToLatin1(hexToBytes(payload.slice(1))) };
  const number = /^[0-9a-fA-F]{2}$/.test(payload.slice(1, 3)) ? parseInt(payload.slice(1, 3), 16) : undefined;
  if (number === undefined) throw notAStopReply(payload);
  const kind = payload[0];
  if (kind === 'W') return { kind: 'exited', code: number };
  if (kind === 'X') return { kind: 'terminated', signal: number };
  if (kind === 'S' && payload.length === 3) return { kind: 'signal', signal: number };
  if (kind !== 'T') throw notAStopReply(payload);
  const reply: Extract<StopReply, { kind: 'signal' }> = { kind: 'signal', signal: number };
  for (const pair of payload.slice(3).split(';')) {
    if (pair === '') continue;
    const colon = pair.indexOf(':');
    const key = colon === -1 ? pair : pair.slice(0, colon);
    const value = colon === -1 ? '' : pair.slice(colon + 1);
    const watch = WATCH_TYPES[key];
    if (key === 'thread') reply.thread = parseThreadId(value);
    else if (watch) reply.watch = { type: watch, address: hexToBigInt(value) };
    else if (key === 'swbreak' || key === 'hwbreak') reply.reason = key;
    else if (/^[0-9a-fA-F]+$/.test(key)) (reply.registers ??= new Map()).set(parseInt(key, 16), value);
  }
  return reply;
}

/** Parses a qfThreadInfo/qsThreadInfo reply: `mp01.01,p01.02` (ask qsThreadInfo for more) or `l` (done). */
export function parseThreadList(payload: string): { threads: ThreadId[]; done: boolean } {
  if (payload === 'l') return { threads: [], done: true };
  if (payload.length < 2 || payload[0] !== 'm') {
    throw new Error(`not a thread list reply: ${excerpt(payload)}; expected "m<id>,<id>..." or "l"`);
  }
  return { threads: payload.slice(1).split(',').map(parseThreadId), done: false };
}

/** `p<pid>.<tid>`, `p<pid>` (all its threads) or `<tid>`, in hex, each possibly -1. */
export function parseThreadId(text: string): ThreadId {
  const match = /^(?:p(-1|[0-9a-fA-F]+)(?:\.(-1|[0-9a-fA-F]+))?|(-1|[0-9a-fA-F]+))$/.exec(text);
  if (!match) throw new Error(`bad thread id ${excerpt(text)}; expected p<pid>.<tid> or <tid> in hex`);
  const [, pid, tid, bare] = match;
  if (bare !== undefined) return { tid: parseInt(bare, 16) };
  return { pid: parseInt(pid!, 16), tid: tid === undefined ? -1 : parseInt(tid, 16) };
}

/** A thread id for `vCont`/`Hg`: `p1.2` with a pid (multiprocess), else `2`; -1 stays `-1`. Parses back to `id`. */
export function formatThreadId(id: ThreadId): string {
  const part = (n: number): string => {
    if (n !== -1 && !(Number.isInteger(n) && n >= 0)) throw new RangeError(`thread id parts are whole numbers or -1, got ${n}`);
    return n === -1 ? '-1' : n.toString(16);
  };
  return id.pid === undefined ? part(id.tid) : `p${part(id.pid)}.${part(id.tid)}`;
}

/**
 * The actions a `vCont?` reply lists: `vCont;c;C;s;S` (QEMU 7.2) -> c, C, s, S. An empty reply (no vCont)
 * lists none. Throws on anything else.
 */
export function parseVContActions(payload: string): Set<string> {
  if (payload === '') return new Set();
  if (!/^vCont(?:;[^;]+)*$/.test(payload)) throw new Error(`not a vCont? reply: ${excerpt(payload)}; expected "vCont;<action>;..." or nothing`);
  return new Set(payload.split(';').slice(1));
}

function notAStopReply(payload: string): Error {
  return new Error(`not a stop reply: ${excerpt(payload)}; expected S<sig>, T<sig>..., W<code>, X<sig> or O<hex>`);
}

function assertLatin1(text: string): void {
  const wide = text.search(/[^\u0000-\u00ff]/);
  if (wide !== -1) throw new Error(`char ${JSON.stringify(text[wide])} at index ${wide} is not a byte; RSP payloads are latin1 strings (one char per byte)`);
}

/** A payload quoted for an error message, cut so a 4 KiB packet does not flood the log. */
function excerpt(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}
