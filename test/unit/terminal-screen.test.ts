import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { MAX_CHECK_DELAY_MS, SETTLE_MS, TerminalScreen } from '../../src/screen/terminal-screen.js';
import { LineSplitter } from '../../src/timeline/line-splitter.js';
import { chunkings } from './chunkings.js';

const MEMTEST = new Uint8Array(readFileSync(new URL('../fixtures/screen/memtest86plus-to-bit-fade.raw', import.meta.url)));
const SIZE = { rows: 25, cols: 80 };

async function draw(chunks: Uint8Array[], size = SIZE): Promise<{ screen: TerminalScreen; changes: (readonly string[])[] }> {
  const screen = new TerminalScreen(size);
  const changes: (readonly string[])[] = [];
  screen.onChange((rows) => changes.push(rows));
  chunks.forEach((chunk, i) => screen.write(chunk, i));
  await screen.drawn();
  return { screen, changes };
}

describe('memtest86+ drawn on a screen', () => {
  test('the rows read as a person sees them: test #10 and its error count on rows of their own', async () => {
    const { screen } = await draw([MEMTEST]);
    const rows = screen.rows();
    expect(rows).toHaveLength(25);
    expect(rows[0]).toContain('Memtest86+ v6.10');
    expect(rows[3]).toBe('L2 Cache:  512KB            | Test #10 [Bit fade test, 2 patterns]');
    expect(rows[5]).toMatch(/^Memory  :   15MB /);
    expect(rows[8]).toMatch(/\| Pass:  0 +Errors: 0$/);
    expect(rows[24]).toContain('<ESC> Exit');
    screen.dispose();
  });

  test('the same rows however the bytes are cut', async () => {
    const whole = (await draw([MEMTEST])).screen.rows();
    for (const [name, chunks] of chunkings(MEMTEST)) {
      const { screen } = await draw(chunks);
      expect(screen.rows(), name).toEqual(whole);
      screen.dispose();
    }
  });

  test('its raw lines never hold the test number: why lines are refused on a screen', () => {
    const splitter = new LineSplitter();
    const lines = [...splitter.push(MEMTEST, 0), ...splitter.end(0)].map((l) => l.text);
    // SeaBIOS's first line, then the whole UI as one "line", cut in pieces of 4096 characters.
    expect(lines[0]).toContain('SeaBIOS');
    expect(lines.some((l) => l.includes('Test #10'))).toBe(false);
    // Row 4 reads "Test #10 [Bit fade..." only because " #10 [Bit fade..." was drawn after "Test" at column 35.
    expect(lines.some((l) => l.includes(' #10 [Bit fade test, 2 patterns]'))).toBe(true);
  });
});

describe('changes', () => {
  test('chunks written before xterm.js draws them are one change, with the time of the last', async () => {
    const screen = new TerminalScreen(SIZE);
    const heard: number[] = [];
    screen.onChange((_, t) => heard.push(t));
    for (const [i, byte] of [...new TextEncoder().encode('\u001b[5;10Hhello')].entries()) screen.write(new Uint8Array([byte]), i);
    await screen.drawn();
    expect(heard).toEqual([11]);
    expect(screen.rows()[4]).toBe('         hello');
    screen.dispose();
  });

  test('bytes a few ms apart are one check, once they pause; a stream that never pauses is checked all the same', async () => {
    const screen = new TerminalScreen(SIZE);
    const heard: (readonly string[])[] = [];
    screen.onChange((rows) => heard.push(rows));
    screen.write(new TextEncoder().encode('Test #10 [Bit'), 1);
    await delay(SETTLE_MS / 4);
    screen.write(new TextEncoder().encode(' fade test]'), 2);
    await delay(SETTLE_MS * 5);
    expect(heard.map((rows) => rows[0])).toEqual(['Test #10 [Bit fade test]']);
    // A byte every 5 ms for 2.5 times the longest delay: checked before it ends, however late the timers run.
    for (let i = 0; i < MAX_CHECK_DELAY_MS * 2.5; i += 5) {
      screen.write(new TextEncoder().encode('.'), 3);
      await delay(5);
    }
    expect(heard.length).toBeGreaterThan(1);
    screen.dispose();
  });

  test('bytes that leave every row as it was are no change', async () => {
    const screen = new TerminalScreen(SIZE);
    let heard = 0;
    screen.onChange(() => heard++);
    screen.write(new TextEncoder().encode('\u001b[2;1HErrors: 0'), 1);
    await screen.drawn();
    screen.write(new TextEncoder().encode('\u001b[2;1HErrors: 0\u001b[1;1H'), 2);
    await screen.drawn();
    expect(heard).toBe(1);
    screen.dispose();
  });

  test('text overwritten in place is gone from its row, and text past the last row scrolls the top off', async () => {
    const { screen } = await draw([new TextEncoder().encode('\u001b[3;1HErrors: 5\u001b[3;9H0')], { rows: 4, cols: 20 });
    expect(screen.rows()).toEqual(['', '', 'Errors: 0', '']);
    const scrolled = await draw([new TextEncoder().encode('one\r\ntwo\r\nthree\r\nfour\r\nfive')], { rows: 4, cols: 20 });
    expect(scrolled.screen.rows()).toEqual(['two', 'three', 'four', 'five']);
    screen.dispose();
    scrolled.screen.dispose();
  });

  test('the writer may reuse its buffer at once', async () => {
    const screen = new TerminalScreen(SIZE);
    const buffer = new TextEncoder().encode('first');
    screen.write(buffer, 1);
    buffer.set(new TextEncoder().encode('XXXXX'));
    await screen.drawn();
    expect(screen.rows()[0]).toBe('first');
    screen.dispose();
  });
});
