import { describe, expect, test } from 'vitest';
import { oneScenario } from './support/one-scenario.js';
import { buildQemuCommand } from '../../src/qemu/argv.js';
import { interpretExit, type QemuEnd } from '../../src/results/exit-status.js';
import { kernelKind } from '../../src/runner/preflight.js';
import { ARCH_PROFILES } from '../../src/arch/profiles.js';

/** A scenario whose first line after the head is line 3. */
const { ok, issue } = oneScenario('a.yaml', ['name: a', 'guest: { kernel: k.elf }']);
const file = (name: string) => ({ kind: 'file' as const, path: `/run/${name}.out` });

describe('machine: per architecture', () => {
  test('each architecture gets its own machine type and memory when the scenario names none', () => {
    expect(ok('machine: { arch: aarch64 }', 'exit: any').machine).toMatchObject({ arch: 'aarch64', type: 'virt', memory: '128M', debugExit: null });
    expect(ok('machine: { arch: riscv64 }', 'exit: any').machine).toMatchObject({ arch: 'riscv64', type: 'virt', debugExit: null });
    expect(ok('exit: any').machine).toMatchObject({ arch: 'x86_64', type: 'pc', debugExit: { iobase: 0xf4, iosize: 4 } });
  });

  test('a machine type of another architecture is refused at its line, naming the ones that fit', () => {
    expect(issue('machine: { arch: aarch64, type: q35 }', 'exit: any')).toMatchObject({
      line: 3, col: 33, path: 'machine.type', message: '"q35" is not a machine type of aarch64.', hint: 'aarch64 machines: virt (the default is virt).',
    });
    expect(issue('machine: { type: virt }', 'exit: any')).toMatchObject({ path: 'machine.type', message: '"virt" is not a machine type of x86_64.' });
  });

  test('isa-debug-exit is refused off x86, with the exit that architecture has', () => {
    expect(issue('machine: { arch: aarch64, debug-exit: { iobase: 0xf4 } }', 'exit: any')).toMatchObject({
      line: 3, path: 'machine.debug-exit', message: 'isa-debug-exit is an I/O-port device, which aarch64 machines do not have.',
      hint: 'Remove it: on aarch64 the guest exits with a status through semihosting SYS_EXIT_EXTENDED (exit: { semihosting: N }).',
    });
    expect(issue('machine: { arch: riscv64 }', 'exit: { debug-exit: 3 }')).toMatchObject({
      line: 4, path: 'exit.debug-exit', message: 'riscv64 has no isa-debug-exit device.', hint: expect.stringContaining('the sifive_test finisher at 0x100000'),
    });
    expect(ok('machine: { arch: aarch64, debug-exit: false }', 'exit: any').machine.debugExit).toBeNull();
  });

  test('exit semihosting is for architectures with semihosting; x86 is told about debug-exit', () => {
    expect(ok('machine: { arch: aarch64 }', 'exit: { semihosting: 3 }').exit).toMatchObject({ kind: 'semihosting', code: 3 });
    expect(issue('exit: { semihosting: 3 }')).toMatchObject({
      path: 'exit.semihosting', message: 'x86_64 has no semihosting.', hint: 'On x86_64 the guest exits with a status through isa-debug-exit: exit: { debug-exit: V } (QEMU status 2V+1).',
    });
  });

  test('exit code is the guest\'s own code through each architecture\'s status exit', () => {
    expect(ok('exit: { code: 3 }').exit).toMatchObject({ kind: 'debug-exit', value: 3 });
    expect(ok('machine: { arch: aarch64 }', 'exit: { code: 3 }').exit).toMatchObject({ kind: 'status', status: 3 });
    expect(ok('machine: { arch: riscv64 }', 'exit: { code: 259 }').exit).toMatchObject({ kind: 'status', status: 3 });
  });

  test('a channel the architecture lacks is refused at the expectation that reads it', () => {
    expect(issue('machine: { arch: aarch64 }', 'expect:', '  - console: up', '  - firmware: BIOS')).toMatchObject({
      line: 6, path: 'expect[1]', message: 'aarch64 machines have no firmware channel.',
      hint: 'Read what the guest prints there on the console instead (ttyAMA0 under Linux); channels of aarch64: console, debugcon, virtio.',
    });
    expect(issue('machine: { arch: riscv64 }', 'exit: any', 'end:', '  - firmware: done')).toMatchObject({ path: 'end[0]', message: 'riscv64 machines have no firmware channel.' });
  });

  test('registers are checked against the architecture\'s names', () => {
    const [e] = ok('machine: { arch: aarch64 }', 'expect:', '  - breakpoint: f', '    registers: { x0: 1, x30: 2 }').expectations;
    expect(e).toMatchObject({ kind: 'breakpoint', registers: [{ register: 'x0', equals: '1' }, { register: 'x30', equals: '2' }] });
    expect(issue('machine: { arch: riscv64 }', 'expect:', '  - breakpoint: f', '    registers: { rax: 1 }')).toMatchObject({ path: 'expect[0].registers.rax', message: 'unknown register "rax".' });
    expect(issue('expect:', '  - breakpoint: f', '    registers: { a0: 1 }')).toMatchObject({ path: 'expect[0].registers.a0', message: 'unknown register "a0".' });
  });
});

describe('buildQemuCommand per architecture', () => {
  const sinks = { console: file('console'), debugcon: file('debugcon'), codes: file('codes'), virtio: file('virtio') };

  test('aarch64: PL011 on -serial, the debug console on semihosting, codes on pci-serial, virtio on virtio-mmio', () => {
    const { binary, args } = buildQemuCommand(ok('machine: { arch: aarch64 }', 'exit: any'), { sinks, accel: 'tcg', paused: false });
    expect(binary).toBe('qemu-system-aarch64');
    expect(args).toEqual([
      '-M', 'virt', '-accel', 'tcg', '-cpu', 'max,pauth-impdef=on', '-smp', '1', '-m', '128M',
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-chardev', 'file,id=vg-console,path=/run/console.out', '-serial', 'chardev:vg-console',
      '-chardev', 'file,id=vg-debugcon,path=/run/debugcon.out',
      '-chardev', 'file,id=vg-codes,path=/run/codes.out', '-device', 'pci-serial,chardev=vg-codes',
      '-semihosting-config', 'enable=on,target=native,chardev=vg-debugcon',
      '-chardev', 'file,id=vg-virtio,path=/run/virtio.out', '-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=vg-virtio',
      '-kernel', '/p/k.elf',
    ]);
  });

  test('riscv64 without a debug console still has semihosting, for its exits; no firmware device is ever added', () => {
    const { binary, args } = buildQemuCommand(ok('machine: { arch: riscv64 }', 'exit: any'), { sinks: { console: file('console'), firmware: file('firmware') }, accel: 'tcg', paused: true });
    expect(binary).toBe('qemu-system-riscv64');
    expect(args.join(' ')).toContain('-cpu rv64 ');
    expect(args).toContain('-S');
    expect(args.slice(args.indexOf('-semihosting-config'), args.indexOf('-semihosting-config') + 2)).toEqual(['-semihosting-config', 'enable=on,target=native']);
    expect(args.join(' ')).not.toMatch(/firmware|isa-/);
  });
});

describe('interpretExit with a guest-status exit (semihosting, a test finisher)', () => {
  const end = (extra: Partial<QemuEnd>): QemuEnd => ({ exitCode: 0, signal: null, killedByRunner: false, qemuErrors: [], ...extra });
  test.each([1, 2, 3, 83, 255])('status %i is the guest\'s own, even or odd', (status) => {
    expect(interpretExit(end({ exitCode: status }), 'guest-status')).toEqual({ kind: 'status', status });
  });
  test('status 0 is a power-off or a reset by the SHUTDOWN reason, as on x86; QEMU\'s errors stay QEMU\'s', () => {
    expect(interpretExit(end({ exitCode: 0, shutdownReason: 'guest-shutdown' }), 'guest-status')).toEqual({ kind: 'poweroff' });
    expect(interpretExit(end({ exitCode: 0, shutdownReason: 'guest-reset' }), 'guest-status')).toEqual({ kind: 'reset' });
    expect(interpretExit(end({ exitCode: 1, qemuErrors: ['could not load kernel'] }), 'guest-status')).toMatchObject({ kind: 'qemu-error', status: 1 });
  });
});

describe('kernelKind', () => {
  const elf = (machine: number): Uint8Array => {
    const head = new Uint8Array(64);
    head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1], 0);
    head[18] = machine & 0xff;
    head[19] = machine >> 8;
    return head;
  };
  const image = (offset: number, magic: string): Uint8Array => {
    const head = new Uint8Array(0x206);
    head.set([...magic].map((c) => c.charCodeAt(0)), offset);
    return head;
  };
  const { x86_64, aarch64, riscv64 } = ARCH_PROFILES;

  test('an ELF of the scenario\'s architecture, or its Linux image', () => {
    expect(kernelKind(elf(62), x86_64)).toEqual({});
    expect(kernelKind(elf(3), x86_64)).toEqual({});
    expect(kernelKind(elf(183), aarch64)).toEqual({});
    expect(kernelKind(elf(243), riscv64)).toEqual({});
    expect(kernelKind(image(0x202, 'HdrS'), x86_64)).toEqual({});
    expect(kernelKind(image(0x38, 'ARM\x64'), aarch64)).toEqual({});
    expect(kernelKind(image(0x38, 'RSC\x05'), riscv64)).toEqual({});
  });

  test('an ELF of another architecture is named; anything else is no kernel', () => {
    expect(kernelKind(elf(183), x86_64)).toEqual({ other: 'aarch64' });
    expect(kernelKind(elf(62), riscv64)).toEqual({ other: 'x86_64' });
    expect(kernelKind(elf(21), aarch64)).toEqual({ other: 'e_machine 21' });
    expect(kernelKind(image(0x202, 'HdrS'), aarch64)).toBe('neither');
    expect(kernelKind(new TextEncoder().encode('#!/bin/sh\n'), x86_64)).toBe('neither');
  });
});
