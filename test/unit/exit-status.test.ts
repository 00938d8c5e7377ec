import { describe, expect, test } from 'vitest';
import { debugExitStatus, describeExit, interpretExit, qemuErrorLines, type QemuEnd } from '../../src/results/exit-status.js';

/** On x86_64 a guest's own status comes from isa-debug-exit. */
const interpretX86Exit = (end: QemuEnd) => interpretExit(end, 'isa-debug-exit');

const end = (extra: Partial<QemuEnd>): QemuEnd => ({ exitCode: 0, signal: null, killedByRunner: false, qemuErrors: [], ...extra });

describe('interpretExit', () => {
  test.each([
    [1, 0], [3, 1], [43, 21], [255, 127],
  ])('odd status %i without SHUTDOWN is debug-exit value %i', (status, value) => {
    expect(interpretX86Exit(end({ exitCode: status }))).toEqual({ kind: 'debug-exit', value, status });
  });

  test('status 0 after SHUTDOWN(guest-shutdown) is a power-off; without any SHUTDOWN too', () => {
    expect(interpretX86Exit(end({ exitCode: 0, shutdownReason: 'guest-shutdown' }))).toEqual({ kind: 'poweroff' });
    expect(interpretX86Exit(end({ exitCode: 0 }))).toEqual({ kind: 'poweroff' });
  });

  test('SHUTDOWN(guest-reset) is a reset (triple fault under -no-reboot)', () => {
    expect(interpretX86Exit(end({ exitCode: 0, shutdownReason: 'guest-reset' }))).toEqual({ kind: 'reset' });
  });

  test('status 0 after another SHUTDOWN reason is a plain status that names the reason', () => {
    expect(interpretX86Exit(end({ exitCode: 0, shutdownReason: 'host-signal' }))).toEqual({ kind: 'status', status: 0, shutdownReason: 'host-signal' });
  });

  // Unikraft's halt: S5, then the exit device. QEMU's SHUTDOWN event and its exit race to the runner.
  test.each([
    ['the exit alone (the event lost the race)', undefined],
    ['SHUTDOWN(guest-shutdown) first', 'guest-shutdown'],
    ['SHUTDOWN(guest-reset) first', 'guest-reset'],
    ['SHUTDOWN(host-qmp-quit) first', 'host-qmp-quit'],
  ])('odd status 83 after %s is debug-exit value 41', (_, shutdownReason) => {
    const after = shutdownReason ? { shutdownReason } : {};
    expect(interpretX86Exit(end({ exitCode: 83, ...after }))).toEqual({ kind: 'debug-exit', value: 41, status: 83, ...after });
  });

  test('an odd status with a QEMU error line is the error, whatever the SHUTDOWN', () => {
    expect(interpretX86Exit(end({ exitCode: 1, shutdownReason: 'guest-shutdown', qemuErrors: ['boom'] }))).toEqual({ kind: 'qemu-error', message: 'boom', status: 1 });
  });

  test('even non-zero status is a plain status', () => {
    expect(interpretX86Exit(end({ exitCode: 2 }))).toEqual({ kind: 'status', status: 2 });
  });

  test('QEMU errors on stderr win: status 1 is then not debug-exit value 0', () => {
    const meaning = interpretX86Exit(end({ exitCode: 1, qemuErrors: ['qemu-system-x86_64: -kernel k: could not load kernel', 'second'] }));
    expect(meaning).toEqual({ kind: 'qemu-error', message: 'qemu-system-x86_64: -kernel k: could not load kernel; second', status: 1 });
  });

  test('stopped by the runner says nothing about the guest, whatever the status', () => {
    expect(interpretX86Exit(end({ exitCode: 1, killedByRunner: true }))).toEqual({ kind: 'killed-by-runner' });
    expect(interpretX86Exit(end({ exitCode: null, signal: 'SIGKILL', killedByRunner: true, qemuErrors: ['x'] }))).toEqual({ kind: 'killed-by-runner' });
  });

  test('a signal', () => {
    expect(interpretX86Exit(end({ exitCode: null, signal: 'SIGSEGV' }))).toEqual({ kind: 'signal', signal: 'SIGSEGV' });
    expect(interpretX86Exit(end({ exitCode: null, signal: null }))).toEqual({ kind: 'signal', signal: 'unknown signal' });
  });
});

describe('describeExit', () => {
  test.each([
    [{ kind: 'debug-exit', value: 21, status: 43 } as const, 'debug-exit value 21 (QEMU status 43)'],
    [{ kind: 'poweroff' } as const, 'power-off (QEMU status 0)'],
    [{ kind: 'reset' } as const, 'guest reset (QEMU status 0 under -no-reboot)'],
    [{ kind: 'qemu-error', message: 'boom', status: 1 } as const, 'QEMU failed (status 1): boom'],
    [{ kind: 'qemu-error', message: 'boom', status: null } as const, 'QEMU failed: boom'],
    [{ kind: 'killed-by-runner' } as const, 'stopped by vitest-guest'],
    [{ kind: 'signal', signal: 'SIGTERM' } as const, 'QEMU killed by SIGTERM'],
    [{ kind: 'status', status: 2 } as const, 'QEMU status 2'],
    [{ kind: 'status', status: 0, shutdownReason: 'host-signal' } as const, 'QEMU status 0 after SHUTDOWN reason host-signal'],
    [{ kind: 'debug-exit', value: 41, status: 83, shutdownReason: 'guest-shutdown' } as const, 'debug-exit value 41 (QEMU status 83, after SHUTDOWN reason guest-shutdown)'],
  ])('%j', (meaning, text) => {
    expect(describeExit(meaning)).toBe(text);
  });
});

describe('qemuErrorLines', () => {
  test('QEMU\'s own lines, without its name; its warnings and the guest\'s text are not errors', () => {
    const stderr = [
      'qemu-system-x86_64: warning: TCG doesn\'t support requested feature: CPUID.01H:ECX.pcid [bit 17]',
      'qemu-system-x86_64: -kernel k: could not load kernel',
      'some other text',
      'qemu-system-x86_64: unable to find CPU model \'nosuch\'',
      '',
    ].join('\n');
    expect(qemuErrorLines(stderr, '/usr/bin/qemu-system-x86_64')).toEqual(['-kernel k: could not load kernel', 'unable to find CPU model \'nosuch\'']);
  });

  test('warnings alone leave an odd status a debug exit (-cpu Skylake-Server under TCG)', () => {
    const qemuErrors = qemuErrorLines('qemu-system-x86_64: warning: TCG doesn\'t support requested feature: CPUID.01H:ECX.x2apic [bit 21]\n', 'qemu-system-x86_64');
    expect(interpretX86Exit(end({ exitCode: 1, qemuErrors }))).toEqual({ kind: 'debug-exit', value: 0, status: 1 });
  });
});

describe('debugExitStatus', () => {
  test.each([[0, 1], [1, 3], [21, 43], [127, 255], [0x80, 1], [0x81, 3], [0x7fffffff, 255]])('%i -> %i', (value, status) => {
    expect(debugExitStatus(value)).toBe(status);
  });

  test('agrees with interpretExit for every value that fits', () => {
    for (let value = 0; value < 128; value++) {
      expect(interpretX86Exit(end({ exitCode: debugExitStatus(value) }))).toMatchObject({ kind: 'debug-exit', value });
    }
  });
});
