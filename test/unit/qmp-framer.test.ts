import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeQmpCommand, QmpFramer, type QmpMessage } from '../../src/qemu/qmp-framer.js';
import { chunkings } from './chunkings.js';

// Transcripts in QEMU 7.2's wire format (one JSON object per line, CRLF), written by hand.
const FIXTURES = fileURLToPath(new URL('../fixtures/qmp/', import.meta.url));
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function feed(chunks: readonly Uint8Array[]): QmpMessage[] {
  const framer = new QmpFramer();
  return chunks.flatMap((chunk) => framer.push(chunk));
}

describe('QmpFramer', () => {
  test.each(['greeting-cont-shutdown.jsonl', 'error-replies-utf8.jsonl'])('%s: the same messages however the bytes are cut', (name) => {
    const data = new Uint8Array(readFileSync(`${FIXTURES}${name}`));
    const expected = new TextDecoder().decode(data).split('\r\n').filter(Boolean).map((line) => JSON.parse(line) as QmpMessage);
    expect(expected).toHaveLength(5);
    for (const [how, chunks] of chunkings(data)) {
      expect(feed(chunks), how).toEqual(expected);
    }
  });

  test('greeting, replies and events keep their fields', () => {
    const messages = feed([new Uint8Array(readFileSync(`${FIXTURES}greeting-cont-shutdown.jsonl`))]);
    expect(messages[0]).toMatchObject({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 22 } }, capabilities: ['oob'] } });
    expect(messages[1]).toEqual({ return: {}, id: 'vg-1' });
    expect(messages[2]).toEqual({ timestamp: { seconds: 1718012345, microseconds: 482913 }, event: 'RESUME' });
    expect(messages[4]).toMatchObject({ event: 'SHUTDOWN', data: { guest: true, reason: 'guest-shutdown' } });
  });

  test('a non-ASCII error text split inside a character survives', () => {
    const messages = feed(chunkings(new Uint8Array(readFileSync(`${FIXTURES}error-replies-utf8.jsonl`)))[2]![1]);
    expect(messages[3]).toMatchObject({ id: 'vg-3', error: { class: 'GenericError', desc: "Could not open '/tmp/café — 日本.img': No such file or directory" } });
  });

  test('a line that is not JSON is skipped, the next one still parses', () => {
    const framer = new QmpFramer();
    expect(framer.push(bytes('qemu-system-x86_64: warning: noise\r\n{"return": {}, "id": "vg-1"}\r\n{"trunc'))).toEqual([{ return: {}, id: 'vg-1' }]);
    expect(framer.push(bytes('ated": \r\n\r\n{"event": "STOP"}\n'))).toEqual([{ event: 'STOP' }]);
  });

  test('an unterminated message waits for its newline', () => {
    const framer = new QmpFramer();
    expect(framer.push(bytes('{"return": {}, "id": "vg-1"}'))).toEqual([]);
    expect(framer.push(bytes('\r\n'))).toEqual([{ return: {}, id: 'vg-1' }]);
  });
});

describe('encodeQmpCommand', () => {
  test('execute and id, CRLF-terminated', () => {
    expect(encodeQmpCommand('qmp_capabilities', 'vg-1')).toBe('{"execute":"qmp_capabilities","id":"vg-1"}\r\n');
  });

  test('arguments between execute and id', () => {
    expect(encodeQmpCommand('human-monitor-command', 'vg-7', { 'command-line': 'info registers' }))
      .toBe('{"execute":"human-monitor-command","arguments":{"command-line":"info registers"},"id":"vg-7"}\r\n');
  });

  test('round-trips through the framer', () => {
    expect(feed([bytes(encodeQmpCommand('cont', 'vg-2', { a: 'é' }))])).toEqual([{ execute: 'cont', arguments: { a: 'é' }, id: 'vg-2' }]);
  });
});
