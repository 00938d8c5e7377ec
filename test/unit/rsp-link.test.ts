import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { latin1ToBytes } from '../../src/gdb/rsp-codec.js';
import { MAX_NAKS, RspLink, type RspInput } from '../../src/gdb/rsp-link.js';
import { chunkings } from './chunkings.js';

// qemu-session.rsp: what QEMU 7.2's stub sends during an attach (written by hand, checksums computed):
// acks, qSupported, target.xml, OK, a stop reply, run-length encoded `m` replies, an escaped binary qXfer
// reply, a nak, a corrupted reply and its resend, an exit.
const FIXTURES = fileURLToPath(new URL('../fixtures/rsp/', import.meta.url));

/** `$body#xx` (or `%body#xx`) with the checksum computed here, independently of the codec. */
function frame(body: string, lead = '$'): string {
  const sum = [...body].reduce((total, c) => total + c.charCodeAt(0), 0) % 256;
  return `${lead}${body}#${sum.toString(16).padStart(2, '0')}`;
}

function feed(chunks: readonly Uint8Array[], link = new RspLink()): RspInput[] {
  return chunks.flatMap((chunk) => link.receive(chunk));
}

/** Feeds `wire` cut every way; expects the same inputs and the same pending acks each time. */
function expectEveryCut(wire: string, inputs: RspInput[], acks: string): void {
  for (const [how, chunks] of chunkings(latin1ToBytes(wire))) {
    const link = new RspLink();
    expect(feed(chunks, link), how).toEqual(inputs);
    expect(link.takePendingAcks(), how).toBe(acks);
  }
}

describe('RspLink.receive', () => {
  test('qemu-session.rsp: the same inputs and acks however the bytes are cut', () => {
    const data = new Uint8Array(readFileSync(`${FIXTURES}qemu-session.rsp`));
    const expected = JSON.parse(readFileSync(`${FIXTURES}qemu-session.expected.json`, 'utf8')) as RspInput[];
    expect(expected.filter((i) => i.kind === 'packet')).toHaveLength(9);
    for (const [how, chunks] of chunkings(data)) {
      const link = new RspLink();
      expect(feed(chunks, link), how).toEqual(expected);
      expect(link.takePendingAcks(), how).toBe(`${'+'.repeat(7)}-++`);
    }
  });

  test('the transcript holds the cases it claims: escapes, RLE and a newline inside a packet', () => {
    const text = readFileSync(`${FIXTURES}qemu-session.rsp`, 'latin1');
    expect(text).toContain('}\x04}\x03}]}\n');
    expect(text).toContain('$554889e50*4#');
    expect(text).toContain('$OK#9b');
  });

  test('noise between frames is skipped; several frames in one chunk', () => {
    expectEveryCut('\r\nnoise+$OK#9a\x00junk$S05#b8 $E01#a6', [
      { kind: 'ack' }, { kind: 'packet', payload: 'OK' }, { kind: 'packet', payload: 'S05' }, { kind: 'packet', payload: 'E01' },
    ], '+++');
  });

  test('bytes 0x80..0xff in a packet stay themselves', () => {
    const payload = 'F4;\x80\x93\xe9\xff';
    expectEveryCut(frame(payload), [{ kind: 'packet', payload }], '+');
  });

  test('a bad checksum, bad hex digits or a corrupt run length queue a nak', () => {
    expectEveryCut('$OK#9b$OK#zz$*!#4b$OK#9A', [
      { kind: 'bad-checksum' }, { kind: 'bad-checksum' }, { kind: 'bad-checksum' }, { kind: 'packet', payload: 'OK' },
    ], '---+');
  });

  test('notifications are decoded and never acked, even when corrupt', () => {
    expectEveryCut(`${frame('Stop:T05thread:p01.01;', '%')}%Stop:S05#00`, [{ kind: 'notification', payload: 'Stop:T05thread:p01.01;' }, { kind: 'bad-checksum' }], '');
  });

  test('a % inside a packet is data, not a notification', () => {
    expectEveryCut(frame('a%b'), [{ kind: 'packet', payload: 'a%b' }], '+');
  });

  test('a $ inside a frame starts over; the partial frame is dropped unacked', () => {
    expectEveryCut('$T05thr$OK#9a', [{ kind: 'packet', payload: 'OK' }], '+');
    expectEveryCut('$OK#9$OK#9a', [{ kind: 'packet', payload: 'OK' }], '+');
  });

  test('receive never produces output by itself: acks wait for send or takePendingAcks', () => {
    const link = new RspLink();
    link.receive(latin1ToBytes('$OK#9a$OK#9a'));
    expect(link.send('c')).toBe('++$c#63');
    expect(link.takePendingAcks()).toBe('');
    link.receive(latin1ToBytes('$T05thread:p01.01;#06'));
    expect(link.takePendingAcks()).toBe('+');
    expect(link.takePendingAcks()).toBe('');
  });
});

describe('RspLink retransmission', () => {
  test('after a nak, retransmit returns the same packet with pending acks', () => {
    const link = new RspLink();
    expect(link.send('m0,4')).toBe(frame('m0,4'));
    expect(link.receive(latin1ToBytes('-$OK#9b'))).toEqual([{ kind: 'nak' }, { kind: 'bad-checksum' }]);
    expect(link.retransmit()).toBe(`-${frame('m0,4')}`);
  });

  test(`${MAX_NAKS} naks in a row make retransmit throw`, () => {
    const link = new RspLink();
    link.send('Z0,ffffffff81000000,1');
    link.receive(latin1ToBytes('-'));
    link.retransmit();
    link.receive(latin1ToBytes('-'));
    link.retransmit();
    link.receive(latin1ToBytes('-'));
    expect(() => link.retransmit()).toThrow('the GDB stub rejected packet "$Z0,ffffffff81000000,1#');
    expect(() => link.retransmit()).toThrow('3 times in a row');
  });

  test('an ack or a new packet resets the count', () => {
    const link = new RspLink();
    link.send('g');
    link.receive(latin1ToBytes('--+--'));
    expect(link.retransmit()).toBe('$g#67');
    link.receive(latin1ToBytes('-'));
    link.send('s');
    link.receive(latin1ToBytes('--'));
    expect(link.retransmit()).toBe('$s#73');
  });

  test('retransmit before any send is an error', () => {
    expect(() => new RspLink().retransmit()).toThrow('nothing to retransmit');
  });
});
