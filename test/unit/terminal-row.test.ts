import { describe, expect, test } from 'vitest';
import { needsDrawing, renderRows } from '../../src/timeline/terminal-row.js';

describe('renderRows: escape sequences and controls that draw nothing', () => {
  test.each([
    ['\u001b[0;32mOK\u001b[0m', 'OK'],
    ['\u001b[?25l\u001b[2Khidden cursor', 'hidden cursor'],
    ['a\u001b[38;5;208mb', 'ab'],
    ['tab\tkept', 'tab\tkept'],
    ['bell\u0007 nul\u0000 del\u007f bs\u0008', 'bell nul del bs'],
    ['\u001bMreverse', 'reverse'],
    ['save\u001b7 restore\u001b8', 'save restore'],
    ['\u001b]0;window title\u0007text', 'text'],
    ['\u001b]2;title\u001b\\after', 'after'],
    ['\u001b[=3h\u001b[2J\u001b[01;01Hcleared', 'cleared'],
    ['plain ✓ üñí', 'plain ✓ üñí'],
    ['', ''],
    ['\u001b[2J\u001b[1;1H', ''],
  ])('%j -> %j', (raw, drawn) => {
    expect(renderRows(raw)).toEqual([drawn]);
  });
});

describe('renderRows: text drawn over', () => {
  test.each([
    ['a CR returns to column 1', 'progress 10%\rprogress 100%', 'progress 100%'],
    ['a shorter text leaves the end of the longer one, as on a screen', 'abcdef\rxy', 'xycdef'],
    ['backspaces move back one cell (U-Boot\'s autoboot countdown)', 'Hit any key to stop autoboot:  2 \b\b\b 1 \b\b\b 0 ', 'Hit any key to stop autoboot:  0 '],
    ['a backspace at column 1 stays there', '\b\bab', 'ab'],
    ['an absolute move within the row (OVMF\'s countdown)', '\u001b[05;01HPress ESC in 5 seconds\u001b[05;01HPress ESC in 4 seconds', 'Press ESC in 4 seconds'],
    ['an echo placed cell by cell (the UEFI shell)', '\u001b[06;01HShell> \u001b[06;08Hv\u001b[06;09H\u001b[06;09He\u001b[06;10Hr', 'Shell> ver'],
    ['a column move leaves blanks between', 'abc\u001b[10Gxyz', 'abc      xyz'],
    ['blanks before the first character are left out', '\u001b[10;20Hfoo', 'foo'],
    ['cursor forward and back', 'abc\u001b[2Cd\u001b[3DX', 'abcX d'],
    ['erase to the end of the row', 'abcdef\u001b[4G\u001b[K!', 'abc!'],
    ['erase to the start of the row', 'abcdef\u001b[3G\u001b[1Kx', 'xdef'],
    ['erase the whole row (blanks before the first character are left out)', 'abcdef\u001b[2Kxy', 'xy'],
    ['erase characters', 'abcdef\u001b[2G\u001b[3X', 'a   ef'],
    ['a character outside the BMP is two cells, as on most terminals: half of it drawn over reads as a blank', '😀b\rX', 'X b'],
    ['a character outside the BMP drawn after stays whole', 'ab\r😀', '😀'],
  ])('%s', (_, raw, drawn) => {
    expect(renderRows(raw)).toEqual([drawn]);
  });
});

describe('renderRows: other rows', () => {
  test('a move from a known row to another ends the row; no row holds text from two', () => {
    expect(renderRows('\u001b[5;10HCPU\u001b[6;10HRAM')).toEqual(['CPU', 'RAM']);
  });

  test('relative moves up and down leave the row whether or not it was known', () => {
    expect(renderRows('top\u001b[Bbelow')).toEqual(['top', 'below']);
    expect(renderRows('\u001b[3;1Hthree\u001b[1Aabove\u001b[2Ethen')).toEqual(['three', 'above', 'then']);
  });

  test('the first absolute move of a line sets its row; a later one back to it draws over it', () => {
    expect(renderRows('\u001b[7;1Hone\u001b[8;1Htwo\u001b[8;1HTWO')).toEqual(['one', 'TWO']);
  });

  test('a move to another row with nothing drawn yet, or nothing after, adds no empty line', () => {
    expect(renderRows('\u001b[3;1H\u001b[4;1Htext\u001b[5;1H')).toEqual(['text']);
  });
});

describe('renderRows: a line in progress', () => {
  test('an escape sequence cut at the end draws nothing yet', () => {
    expect(renderRows('Shell> \u001b[0')).toEqual(['Shell> ']);
    expect(renderRows('Shell> \u001b[')).toEqual(['Shell> ']);
    expect(renderRows('Shell> \u001b')).toEqual(['Shell> ']);
  });
});

describe('needsDrawing', () => {
  test('plain text and TAB need none; any other control or ESC does', () => {
    expect(needsDrawing('plain\ttext ✓')).toBe(false);
    for (const c of ['\u001b', '\r', '\b', '\u0000', '\u007f']) expect(needsDrawing(`a${c}b`)).toBe(true);
  });
});
