// Where a run's channels go: guest output to files in the run folder, QMP and the GDB stub to sockets.
import { describe, expect, test } from 'vitest';
import { inputFifo, outputFile, runSinks } from '../../src/qemu/channel-sinks.js';

const none = { virtio: false, codes: false, consoleInput: false, gdb: false };

describe('runSinks', () => {
  test('the fixed channels are files, QMP a socket; optional ones absent unless needed', () => {
    expect(runSinks('/run', none)).toEqual({
      console: { kind: 'file', path: '/run/console.out' },
      debugcon: { kind: 'file', path: '/run/debugcon.out' },
      codes: null,
      firmware: { kind: 'file', path: '/run/firmware.out' },
      virtio: null,
      qmp: { kind: 'connect', path: '/run/qmp.sock' },
      gdb: null,
    });
  });

  test('each need adds its channel; console input makes the console a pipe with a FIFO beside its file', () => {
    const sinks = runSinks('/run', { virtio: true, codes: true, consoleInput: true, gdb: true });
    expect(sinks.codes).toEqual({ kind: 'file', path: '/run/codes.out' });
    expect(sinks.virtio).toEqual({ kind: 'file', path: '/run/virtio.out' });
    expect(sinks.gdb).toEqual({ kind: 'connect', path: '/run/gdb.sock' });
    expect(sinks.console).toEqual({ kind: 'pipe', base: '/run/console' });
    expect(outputFile(sinks.console!)).toBe('/run/console.out');
    expect(inputFifo(sinks.console!)).toBe('/run/console.in');
    expect(outputFile(sinks.qmp!)).toBeUndefined();
    expect(inputFifo(sinks.debugcon!)).toBeUndefined();
  });
});
