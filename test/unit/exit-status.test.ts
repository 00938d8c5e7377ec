import { describe, expect, test } from 'vitest';
import { debugExitStatus, describeExit, interpretExit, type QemuEnd } from '../../src/qemu/exit-status.js';

const end = (extra: Partial<QemuEnd>): QemuEnd => ({ exitCode: 0, signal: null, killedByRunner: false, qemuErrors: [], ...extra });

describe('interpretExit', () => {
  test.each([
    [1, 0], [3, 1], [43, 21], [255, 127],
  ])('odd status %i without SHUTDOWN is debug-exit value %i', (status, value) => {
    expect(interpretExit(end({ exitCode: status }))).toEqual({ kind: 'debug-exit', value, status });
  });

  test('status 0 after SHUTDOWN(guest-shutdown) is a power-off; without any SHUTDOWN too', () => {
    expect(interpretExit(end({ exitCode: 0, shutdownReason: 'guest-shutdown' }))).toEqual({ kind: 'poweroff' });
    expect(interpretExit(end({ exitCode: 0 }))).toEqual({ kind: 'poweroff' });
  });

  test('SHUTDOWN(guest-reset) is a reset (triple fault under -no-reboot)', () => {
    expect(interpretExit(end({ exitCode: 0, shutdownReason: 'guest-reset' }))).toEqual({ kind: 'reset' });
  });

  test('status 0 after another SHUTDOWN reason is a plain status', () => {
    expect(interpretExit(end({ exitCode: 0, shutdownReason: 'host-signal' }))).toEqual({ kind: 'status', status: 0 });
  });

  test('an odd status after a SHUTDOWN event is not a debug-exit', () => {
    expect(interpretExit(end({ exitCode: 3, shutdownReason: 'host-qmp-quit' }))).toEqual({ kind: 'status', status: 3 });
  });

  test('even non-zero status is a plain status', () => {
    expect(interpretExit(end({ exitCode: 2 }))).toEqual({ kind: 'status', status: 2 });
  });

  test('QEMU errors on stderr win: status 1 is then not debug-exit value 0', () => {
    const meaning = interpretExit(end({ exitCode: 1, qemuErrors: ['qemu-system-x86_64: -kernel k: could not load kernel', 'second'] }));
    expect(meaning).toEqual({ kind: 'qemu-error', message: 'qemu-system-x86_64: -kernel k: could not load kernel; second', status: 1 });
  });

  test('stopped by the runner says nothing about the guest, whatever the status', () => {
    expect(interpretExit(end({ exitCode: 1, killedByRunner: true }))).toEqual({ kind: 'killed-by-runner' });
    expect(interpretExit(end({ exitCode: null, signal: 'SIGKILL', killedByRunner: true, qemuErrors: ['x'] }))).toEqual({ kind: 'killed-by-runner' });
  });

  test('a signal', () => {
    expect(interpretExit(end({ exitCode: null, signal: 'SIGSEGV' }))).toEqual({ kind: 'signal', signal: 'SIGSEGV' });
    expect(interpretExit(end({ exitCode: null, signal: null }))).toEqual({ kind: 'signal', signal: 'unknown signal' });
  });
});

describe('describeExit', () => {
  test.each([
    [{ kind: 'debug-exit', value: 21, status: 43 } as const, 'debug-exit value 21 (QEMU status 43)'],
    [{ kind: 'poweroff' } as const, 'power-off (QEMU status 0)'],
    [{ kind: 'reset' } as const, 'guest reset or triple fault (QEMU status 0 under -no-reboot)'],
    [{ kind: 'qemu-error', message: 'boom', status: 1 } as const, 'QEMU failed (status 1): boom'],
    [{ kind: 'qemu-error', message: 'boom', status: null } as const, 'QEMU failed: boom'],
    [{ kind: 'killed-by-runner' } as const, 'stopped by vitest-guest'],
    [{ kind: 'signal', signal: 'SIGTERM' } as const, 'QEMU killed by SIGTERM'],
    [{ kind: 'status', status: 2 } as const, 'QEMU status 2'],
  ])('%j', (meaning, text) => {
    expect(describeExit(meaning)).toBe(text);
  });
});

describe('debugExitStatus', () => {
  test.each([[0, 1], [1, 3], [21, 43], [127, 255], [0x80, 1], [0x81, 3], [0x7fffffff, 255]])('%i -> %i', (value, status) => {
    expect(debugExitStatus(value)).toBe(status);
  });

  test('agrees with interpretExit for every value that fits', () => {
    for (let value = 0; value < 128; value++) {
      expect(interpretExit(end({ exitCode: debugExitStatus(value) }))).toMatchObject({ kind: 'debug-exit', value });
    }
  });
});
