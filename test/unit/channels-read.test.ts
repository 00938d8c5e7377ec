// Which channels a scenario reads decides which optional devices its QEMU gets.
import { describe, expect, test } from 'vitest';
import { channelsRead, readsCodes } from '../../src/scenario/channels-read.js';
import { oneScenario } from './support/one-scenario.js';

const { ok } = oneScenario('c.yaml', ['name: c', 'guest: { kernel: k.elf }', 'exit: any']);

describe('channelsRead', () => {
  test('text, never, results, sends and end lines each name a channel', () => {
    expect(channelsRead(ok('expect:', '  - console: a', '  - debugcon: b'))).toEqual(new Set(['console', 'debugcon']));
    expect(channelsRead(ok('expect:', '  - never: { text: x, channel: virtio }'))).toEqual(new Set(['virtio']));
    expect(channelsRead(ok('expect:', '  - uktest: all', '    channel: virtio'))).toEqual(new Set(['virtio']));
    expect(channelsRead(ok('end:', '  - virtio: done'))).toEqual(new Set(['virtio']));
    expect(channelsRead(ok('expect:', '  - code: 0x10', '  - breakpoint: f', '  - never: { code: 0xff }', 'end:', '  - code: 0x7f'))).toEqual(new Set());
  });

  test('an unknown channel is refused where it is written, with the known ones', () => {
    const { issue } = oneScenario('c.yaml', ['name: c', 'guest: { kernel: k.elf }', 'exit: any']);
    expect(issue('expect:', '  - never: { text: x, channel: hvc0 }')).toMatchObject({ path: 'expect[0].never.channel', line: 5, message: expect.stringContaining('virtio') });
  });

  test('port 0x80 is read only for codes, stages, never-codes, end codes and stage timing', () => {
    expect(readsCodes(ok('expect:', '  - console: a', '  - breakpoint: f'))).toBe(false);
    expect(readsCodes(ok('expect:', '  - code: 0x10'))).toBe(true);
    expect(readsCodes(ok('expect:', '  - code: kernel'))).toBe(true);
    expect(readsCodes(ok('expect:', '  - never: { code: 0xff }'))).toBe(true);
    expect(readsCodes(ok('end:', '  - code: 0x7f'))).toBe(true);
    expect(readsCodes(ok('timing:', '  - stage: kernel', '    max: 1s'))).toBe(true);
    expect(readsCodes(ok('expect:', '  - console: up', '    id: up', 'timing:', '  - from: kernel', '    to: up', '    max: 1s'))).toBe(true);
    expect(readsCodes(ok('expect:', '  - console: up', '    id: up', 'timing:', '  - from: start', '    to: up', '    max: 1s'))).toBe(false);
  });
});
