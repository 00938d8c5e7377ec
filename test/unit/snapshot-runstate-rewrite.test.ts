// The run state of a machine held at a breakpoint, rewritten in its migration stream: the fixture is 512 bytes
// of a real QEMU 7.2 stream saved in the `debug` state (the reference guest held at guest_loop_target), around
// its globalstate section and into the vmdesc JSON that names the section again.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DebugRunstateRewriter } from '../../src/snapshot/runstate-rewrite.js';

const stream = readFileSync(fileURLToPath(new URL('../fixtures/snapshots/globalstate-debug.bin', import.meta.url)));
const SECTION = stream.indexOf(Buffer.from('\x0bglobalstate', 'latin1'));

function rewrite(input: Buffer, chunkSizes: (i: number) => number): { output: Buffer; rewritten: number } {
  const rewriter = new DebugRunstateRewriter();
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < input.length; i++) {
    const size = chunkSizes(i);
    parts.push(rewriter.push(Buffer.from(input.subarray(at, at + size))));
    at += size;
  }
  parts.push(rewriter.end());
  return { output: Buffer.concat(parts), rewritten: rewriter.rewritten };
}

describe('DebugRunstateRewriter', () => {
  test('the section says paused, its length 7, and nothing else moves', () => {
    const { output, rewritten } = rewrite(stream, () => stream.length);
    expect(rewritten).toBe(1);
    expect(output.length).toBe(stream.length);
    expect(output.readUInt32BE(SECTION + 20)).toBe(7);
    expect(output.subarray(SECTION + 24, SECTION + 31).toString('latin1')).toBe('paused\0');
    const changed = [...output.keys()].filter((i) => output[i] !== stream[i]);
    expect(changed.every((i) => i >= SECTION + 20 && i < SECTION + 31)).toBe(true);
    // The vmdesc JSON after it names the section too: left alone.
    expect(output.subarray(SECTION + 100).toString('latin1')).toContain('"page_size"');
  });

  test('the same bytes whatever the chunks: split one byte at a time, and at every cut through the section', () => {
    const whole = rewrite(stream, () => stream.length).output;
    expect(rewrite(stream, () => 1)).toEqual({ output: whole, rewritten: 1 });
    for (let cut = SECTION - 2; cut < SECTION + 34; cut++) {
      expect(rewrite(stream, (i) => (i === 0 ? cut : stream.length))).toEqual({ output: whole, rewritten: 1 });
    }
  });

  test('a stream saved paused (or running) is passed through unchanged', () => {
    const paused = rewrite(stream, () => stream.length).output;
    expect(rewrite(paused, () => 7)).toEqual({ output: paused, rewritten: 0 });
    const noSection = stream.subarray(0, SECTION);
    expect(rewrite(noSection, () => 64)).toEqual({ output: noSection, rewritten: 0 });
  });
});
