import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineSplitter, MAX_LINE_CHARS, type ChannelLine } from '../../src/timeline/line-splitter.js';
import { chunkings } from './chunkings.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/console/', import.meta.url));
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds the chunks in order (chunk i at time i) and ends the stream at the time after the last one. */
function feed(chunks: readonly Uint8Array[]): ChannelLine[] {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((chunk, i) => splitter.push(chunk, i));
  return [...lines, ...splitter.end(chunks.length)];
}

describe('golden console logs', () => {
  const logs = readdirSync(FIXTURES).filter((f) => f.endsWith('.log')).sort();

  test.each(logs)('%s: the same lines however the bytes are cut', (log) => {
    const data = new Uint8Array(readFileSync(`${FIXTURES}${log}`));
    const expected = JSON.parse(readFileSync(`${FIXTURES}${log.replace(/\.log$/, '.expected.json')}`, 'utf8')) as string[];
    for (const [how, chunks] of chunkings(data)) {
      expect(feed(chunks).map((l) => l.text), how).toEqual(expected);
    }
  });

  test('the ANSI fixture really holds ESC bytes', () => {
    expect(readFileSync(`${FIXTURES}ansi-colours.log`).includes(0x1b)).toBe(true);
  });
});

describe('LineSplitter', () => {
  test('CRLF and LF both end a line; an empty line stays', () => {
    expect(feed([bytes('a\r\n\r\nb\nc\r\n')]).map((l) => l.text)).toEqual(['a', '', 'b', 'c']);
  });

  test('a lone CR inside a line returns to its start: what follows is drawn over it, as a terminal shows', () => {
    expect(feed([bytes('progress 10%\rprogress 100%\n')]).map((l) => l.text)).toEqual(['progress 100%']);
  });

  test('a move to another row mid-line starts another line, whole or cut anywhere', () => {
    const data = bytes('\u001b[5;1Hleft\u001b[6;1Hright\u001b[6;1HRIGHT\r\nnext\n');
    for (const [how, chunks] of chunkings(data)) {
      expect(feed(chunks).map((l) => l.text), how).toEqual(['left', 'RIGHT', 'next']);
    }
  });

  test('a line longer than MAX_LINE_CHARS comes out in pieces, whole or streamed', () => {
    const long = `${'a'.repeat(MAX_LINE_CHARS)}${'b'.repeat(MAX_LINE_CHARS)}${'c'.repeat(10)}`;
    const expected = ['a'.repeat(MAX_LINE_CHARS), 'b'.repeat(MAX_LINE_CHARS), 'c'.repeat(10), 'next'];
    expect(feed([bytes(`${long}\nnext\n`)]).map((l) => l.text)).toEqual(expected);
    const streamed = new LineSplitter();
    // Without any newline, memory stays bounded: full pieces leave as soon as they are complete.
    expect(streamed.push(bytes(long), 0).map((l) => l.text)).toEqual(expected.slice(0, 2));
    expect(streamed.partial()).toBe('c'.repeat(10));
    expect(streamed.push(bytes('\nnext\n'), 1).map((l) => l.text)).toEqual(expected.slice(2));
  });

  test('a long line is never cut between the two halves of a surrogate pair, whole or streamed', () => {
    const long = `${'a'.repeat(MAX_LINE_CHARS - 1)}\u{1F600}b`;
    const expected = ['a'.repeat(MAX_LINE_CHARS - 1), '\u{1F600}b'];
    expect(feed([bytes(`${long}\n`)]).map((l) => l.text)).toEqual(expected);
    const streamed = new LineSplitter();
    expect(streamed.push(bytes(`${long}${'c'.repeat(MAX_LINE_CHARS)}`), 0).map((l) => l.text)).toEqual([expected[0], `\u{1F600}b${'c'.repeat(MAX_LINE_CHARS - 3)}`]);
  });

  test('a line of exactly MAX_LINE_CHARS is one line', () => {
    expect(feed([bytes(`${'x'.repeat(MAX_LINE_CHARS)}\n`)]).map((l) => l.text.length)).toEqual([MAX_LINE_CHARS]);
  });

  test('long CRLF lines cut the same way whole, streamed and at random points', () => {
    const x = 'x'.repeat(MAX_LINE_CHARS);
    const data = bytes(`${x}\r\n${x}y\r\n${x}${x}\r\nlone\rcr\r\n${x}\r`);
    // `cr` is drawn over the start of `lone`, as a terminal shows it.
    const expected = [x, x, 'y', x, x, 'crne', x];
    for (const [how, chunks] of chunkings(data)) {
      expect(feed(chunks).map((l) => l.text), how).toEqual(expected);
    }
  });

  test('a UTF-8 character split across chunks is decoded once', () => {
    const penguin = bytes('🐧\n'); // F0 9F 90 A7 0A
    const splitter = new LineSplitter();
    expect(splitter.push(penguin.subarray(0, 1), 0)).toEqual([]);
    expect(splitter.push(penguin.subarray(1, 3), 1)).toEqual([]);
    expect(splitter.partial()).toBe('');
    expect(splitter.push(penguin.subarray(3), 2)).toEqual([{ text: '🐧', t: 2 }]);
  });

  test('rare control codes are removed wherever they fall: any alignment, any cut, a line spanning chunks', () => {
    // BEL, NUL, DEL and backspace between plain words, at every offset from a 4-byte boundary; the
    // backspace moves back one cell, so the next character is drawn over the one before it.
    const raw = ['a\u0007b', 'cd\u0000e', 'fgh\u007fi', 'jklm\u0008n', 'plain line', `${'x'.repeat(40)}\u0007`, 'bo\u001b[1mld\u001b[0m'];
    const data = bytes(`${raw.join('\r\n')}\n`);
    const expected = ['ab', 'cde', 'fghi', 'jkln', 'plain line', 'x'.repeat(40), 'bold'];
    for (const [how, chunks] of chunkings(data)) {
      expect(feed(chunks).map((l) => l.text), how).toEqual(expected);
    }
    for (let offset = 0; offset < 4; offset++) {
      // The same bytes at each alignment inside a larger buffer, as pooled Node buffers come.
      const backing = new Uint8Array(data.length + offset);
      backing.set(data, offset);
      expect(feed([backing.subarray(offset)]).map((l) => l.text), `offset ${offset}`).toEqual(expected);
    }
  });

  test('a control code in the part of a line held from an earlier chunk is still removed', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('ring\u0007'), 0)).toEqual([]);
    expect(splitter.push(bytes(' the bell\nnext\n'), 1).map((l) => l.text)).toEqual(['ring the bell', 'next']);
  });

  test('a byte order mark is dropped at the start of the stream only', () => {
    const bom = '\ufeff';
    expect(feed([bytes(`${bom}first\n${bom}second\n`)]).map((l) => l.text)).toEqual(['first', `${bom}second`]);
    expect(feed([bytes(`${bom}fi`), bytes(`rst\n${bom}x\n`)]).map((l) => l.text)).toEqual(['first', `${bom}x`]);
  });

  test('invalid UTF-8 becomes U+FFFD without throwing', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(new Uint8Array([0x41, 0xff, 0xfe, 0x42, 0x0a]), 0)).toEqual([{ text: 'A\ufffd\ufffdB', t: 0 }]);
    expect(splitter.push(new Uint8Array([0x43, 0xe2, 0x82]), 1)).toEqual([]);
    expect(splitter.end(2)).toEqual([{ text: 'C\ufffd', t: 2 }]);
  });

  test('end() returns the unterminated last line once, then nothing', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('done\nlogin: '), 5)).toEqual([{ text: 'done', t: 5 }]);
    expect(splitter.end(9)).toEqual([{ text: 'login: ', t: 9 }]);
    expect(splitter.end(10)).toEqual([]);
    expect(splitter.partial()).toBe('');
  });

  test('end() with nothing pending returns no empty line', () => {
    const splitter = new LineSplitter();
    splitter.push(bytes('a\n'), 0);
    expect(splitter.end(1)).toEqual([]);
  });

  test('partial() shows the line in progress, cleaned', () => {
    const splitter = new LineSplitter();
    splitter.push(bytes('ok\n\u001b[1m# \u001b[0m'), 0);
    expect(splitter.partial()).toBe('# ');
    splitter.push(bytes('ls'), 1);
    expect(splitter.partial()).toBe('# ls');
  });

  test('partial() shows the row in progress as drawn: a countdown redrawn in place reads its latest count', () => {
    const splitter = new LineSplitter();
    splitter.push(bytes('\u001b[05;01HPress ESC in 5 seconds'), 0);
    expect(splitter.partial()).toBe('Press ESC in 5 seconds');
    // The next redraw, its colour sequence cut off at the end of the chunk.
    splitter.push(bytes('\u001b[05;01HPress ESC in 4 seconds\u001b[0'), 1);
    expect(splitter.partial()).toBe('Press ESC in 4 seconds');
  });

  test('each line carries the time of the chunk that completed it', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('one\ntw'), 10)).toEqual([{ text: 'one', t: 10 }]);
    expect(splitter.push(bytes('o'), 20)).toEqual([]);
    expect(splitter.push(bytes('\nthree\nfo'), 30)).toEqual([{ text: 'two', t: 30 }, { text: 'three', t: 30 }]);
    expect(splitter.end(40)).toEqual([{ text: 'fo', t: 40 }]);
  });
});
