import { describe, expect, test } from 'vitest';
import {
  bigIntToLeHex, bytesToHex, bytesToLatin1, checksum, decodePayload, encodePacket, hexToBigInt, hexToBytes,
  formatThreadId, latin1ToBytes, leHexToBigInt, parseStopReply, parseThreadId, parseThreadList, parseVContActions, toHexAddress,
} from '../../src/gdb/rsp-codec.js';

const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

describe('checksum and framing', () => {
  test('checksum is the byte sum modulo 256', () => {
    expect(checksum('OK')).toBe(0x9a);
    expect(checksum('')).toBe(0);
    expect(checksum('\xff\xff')).toBe(0xfe);
  });

  test('encodePacket frames a plain payload', () => {
    expect(encodePacket('OK')).toBe('$OK#9a');
    expect(encodePacket('qSupported:multiprocess+')).toBe(`$qSupported:multiprocess+#${checksum('qSupported:multiprocess+').toString(16).padStart(2, '0')}`);
    expect(encodePacket('')).toBe('$#00');
  });

  test('$ # } * are escaped and the checksum covers the escaped bytes', () => {
    const body = '}\x04}\x03}]}\x0a';
    expect(encodePacket('$#}*')).toBe(`$${body}#${checksum(body).toString(16)}`);
  });

  test('a char that is not a byte is refused, naming it', () => {
    expect(() => encodePacket('X1000,1:\u20ac')).toThrow(/"€" at index 8 is not a byte/);
  });

  test('every byte survives encode then decode', () => {
    const framed = encodePacket(ALL_BYTES);
    expect(framed.slice(1, -3)).not.toMatch(/[$#*]/);
    expect(decodePayload(framed.slice(1, -3))).toBe(ALL_BYTES);
  });
});

describe('decodePayload', () => {
  test.each([
    ['0* ', '0000'],
    ['554889e50*4', `554889e5${'0'.repeat(24)}`],
    ['0* 1* ', '00001111'],
    ['}]*!', '}}}}}'],
    ['a}\x03b', 'a#b'],
    ['plain', 'plain'],
  ])('%j -> %j', (raw, decoded) => {
    expect(decodePayload(raw)).toBe(decoded);
  });

  test.each([
    ['*!', /run-length encoding at byte 0/],
    ['0*', /run-length encoding at byte 1/],
    ['0*\x1d', /count byte above 29/],
    ['ab}', /dangling "}" escape/],
  ])('%j is corrupt', (raw, message) => {
    expect(() => decodePayload(raw)).toThrow(message);
  });
});

describe('latin1 and hex', () => {
  test('bytes 0x80..0x9f stay themselves (not windows-1252)', () => {
    const bytes = Uint8Array.from([0x80, 0x93, 0x9f, 0xe9, 0x00]);
    expect(bytesToLatin1(bytes)).toBe('\x80\x93\x9f\xe9\x00');
    expect(latin1ToBytes(bytesToLatin1(bytes))).toEqual(bytes);
  });

  test('a buffer larger than one conversion slice converts whole', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    expect(bytesToLatin1(bytes)).toBe(Buffer.from(bytes).toString('latin1'));
  });

  test('bytesToHex / hexToBytes round trip, either case in', () => {
    expect(bytesToHex(Uint8Array.from([0x55, 0x48, 0x89, 0xe5, 0x0a]))).toBe('554889e50a');
    expect(hexToBytes('554889E50a')).toEqual(Uint8Array.from([0x55, 0x48, 0x89, 0xe5, 0x0a]));
    expect(hexToBytes('')).toEqual(new Uint8Array());
  });

  test('hexToBytes names an odd length or a bad digit', () => {
    expect(() => hexToBytes('abc')).toThrow('hex string has odd length 3: "abc"');
    expect(() => hexToBytes('E01x')).toThrow('bad hex digit "x" at index 3 of "E01x"');
  });

  test('little-endian register values', () => {
    expect(leHexToBigInt('0010000000000000')).toBe(0x1000n);
    expect(leHexToBigInt('00000081ffffffff')).toBe(0xffffffff81000000n);
    expect(bigIntToLeHex(0x1000n, 8)).toBe('0010000000000000');
    expect(bigIntToLeHex(0x246n, 4)).toBe('46020000');
    expect(bigIntToLeHex(-12n, 8)).toBe('f4ffffffffffffff');
    expect(leHexToBigInt(bigIntToLeHex(0xffffffff81000000n, 8))).toBe(0xffffffff81000000n);
  });

  test('bigIntToLeHex refuses values that do not fit', () => {
    expect(() => bigIntToLeHex(0x100n, 1)).toThrow('value 256 does not fit in 1 bytes');
    expect(() => bigIntToLeHex(-129n, 1)).toThrow('does not fit');
    expect(() => bigIntToLeHex(1n, 0)).toThrow('positive whole number of bytes, got 0');
  });

  test('big-endian addresses as in Z and m packets', () => {
    expect(hexToBigInt('ffffffff81000000')).toBe(0xffffffff81000000n);
    expect(`Z0,${toHexAddress(0xffffffff81000000n)},1`).toBe('Z0,ffffffff81000000,1');
    expect(toHexAddress(0n)).toBe('0');
    expect(() => hexToBigInt('0x10')).toThrow('not a hex number: "0x10"');
    expect(() => toHexAddress(-1n)).toThrow('must not be negative');
  });
});

describe('parseStopReply', () => {
  test('S05', () => {
    expect(parseStopReply('S05')).toEqual({ kind: 'signal', signal: 5 });
  });

  test('T05 with a multiprocess thread and swbreak (QEMU 7.2 sends T05thread:p01.01;)', () => {
    expect(parseStopReply('T05thread:p01.01;')).toEqual({ kind: 'signal', signal: 5, thread: { pid: 1, tid: 1 } });
    expect(parseStopReply('T05thread:p01.02;swbreak:;')).toEqual({ kind: 'signal', signal: 5, thread: { pid: 1, tid: 2 }, reason: 'swbreak' });
  });

  test('T02 without multiprocess, hwbreak, unknown keys ignored', () => {
    expect(parseStopReply('T02thread:2;hwbreak:;core:0;')).toEqual({ kind: 'signal', signal: 2, thread: { tid: 2 }, reason: 'hwbreak' });
  });

  test.each([
    ['watch', 'write'],
    ['rwatch', 'read'],
    ['awatch', 'access'],
  ])('%s: carries its type and address', (key, type) => {
    expect(parseStopReply(`T05${key}:ffffffff82000010;thread:p01.01;`)).toEqual({
      kind: 'signal', signal: 5, thread: { pid: 1, tid: 1 }, watch: { type, address: 0xffffffff82000010n },
    });
  });

  test('register pairs by number (hex keys)', () => {
    const reply = parseStopReply('T0506:0000000000000000;07:d0ffffffffffffff;10:0010000000000000;thread:p01.01;');
    expect(reply).toMatchObject({ kind: 'signal', signal: 5 });
    expect(reply.kind === 'signal' && [...reply.registers!]).toEqual([
      [6, '0000000000000000'], [7, 'd0ffffffffffffff'], [16, '0010000000000000'],
    ]);
  });

  test('exit, exit with process, killed by a signal', () => {
    expect(parseStopReply('W00')).toEqual({ kind: 'exited', code: 0 });
    expect(parseStopReply('W01;process:1')).toEqual({ kind: 'exited', code: 1 });
    expect(parseStopReply('X09')).toEqual({ kind: 'terminated', signal: 9 });
  });

  test('O<hex> is console output', () => {
    expect(parseStopReply('O48656c6c6f0a')).toEqual({ kind: 'output', text: 'Hello\n' });
  });

  test.each(['OK', 'E01', '', 'T5', 'S05x', 'Tzzthread:1;'])('%j is not a stop reply', (payload) => {
    expect(() => parseStopReply(payload)).toThrow(`not a stop reply: ${JSON.stringify(payload)}`);
  });

  test('a bad thread id is named', () => {
    expect(() => parseStopReply('T05thread:p01.q;')).toThrow('bad thread id "p01.q"');
  });
});

describe('parseThreadList', () => {
  test('m with ids, then l', () => {
    expect(parseThreadList('mp01.01,p01.02')).toEqual({ threads: [{ pid: 1, tid: 1 }, { pid: 1, tid: 2 }], done: false });
    expect(parseThreadList('m1,a')).toEqual({ threads: [{ tid: 1 }, { tid: 10 }], done: false });
    expect(parseThreadList('mp02')).toEqual({ threads: [{ pid: 2, tid: -1 }], done: false });
    expect(parseThreadList('l')).toEqual({ threads: [], done: true });
  });

  test('anything else is refused', () => {
    expect(() => parseThreadList('E01')).toThrow('not a thread list reply: "E01"');
    expect(() => parseThreadList('m')).toThrow('not a thread list reply');
  });
});

describe('formatThreadId', () => {
  test.each([
    [{ pid: 1, tid: 2 }, 'p1.2'],
    [{ pid: 1, tid: 0x1a }, 'p1.1a'],
    [{ pid: 1, tid: -1 }, 'p1.-1'],
    [{ pid: -1, tid: -1 }, 'p-1.-1'],
    [{ tid: 3 }, '3'],
    [{ tid: 0 }, '0'],
    [{ tid: -1 }, '-1'],
  ])('%j -> %s, which parses back to it', (id, text) => {
    expect(formatThreadId(id)).toBe(text);
    expect(parseThreadId(text)).toEqual(id);
  });

  test('the ids QEMU sends (leading zeros) come back in the short form', () => {
    expect(formatThreadId(parseThreadId('p01.02'))).toBe('p1.2');
    const stop = parseStopReply('T05thread:p01.0c;');
    expect(stop.kind === 'signal' && stop.thread && formatThreadId(stop.thread)).toBe('p1.c');
  });

  test('a part that is not a whole number or -1 is refused', () => {
    expect(() => formatThreadId({ pid: 1, tid: 1.5 })).toThrow('thread id parts are whole numbers or -1, got 1.5');
    expect(() => formatThreadId({ tid: -2 })).toThrow('got -2');
  });
});

describe('parseVContActions', () => {
  test('QEMU 7.2\'s reply lists c, C, s, S', () => {
    expect(parseVContActions('vCont;c;C;s;S')).toEqual(new Set(['c', 'C', 's', 'S']));
  });

  test('an empty reply (vCont not supported) lists none', () => {
    expect(parseVContActions('')).toEqual(new Set());
  });

  test('anything else is refused', () => {
    expect(() => parseVContActions('E01')).toThrow('not a vCont? reply: "E01"');
    expect(() => parseVContActions('vCont;;c')).toThrow('not a vCont? reply');
  });
});

describe('leHexToBigInt on memory replies', () => {
  // Guest memory read with `m` and decoded as an unsigned little-endian integer (register and memory checks).
  test.each<[number[], bigint]>([
    [[], 0n],
    [[0x2a], 0x2an],
    [[0x34, 0x12], 0x1234n],
    [[0xef, 0xbe, 0xad, 0xde], 0xdeadbeefn],
    [[0x00, 0x00, 0x00, 0x81, 0xff, 0xff, 0xff, 0xff], 0xffffffff81000000n],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0xffffffffffffffffn],
    [[0x01, 0, 0, 0, 0, 0, 0, 0], 1n],
  ])('%j -> %s', (bytes, value) => {
    expect(leHexToBigInt(bytesToHex(Uint8Array.from(bytes)))).toBe(value);
  });

  test('the value is unsigned: four 0xff bytes are 0xffffffff, not -1', () => {
    expect(leHexToBigInt('ffffffff')).toBe(0xffffffffn);
  });
});
