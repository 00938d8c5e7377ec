import { describe, expect, test } from 'vitest';
import { cpuModelHint } from '../../src/runner/cpu-hint.js';
import type { RunResult } from '../../src/runner/run-scenario.js';

const NOTHING = { console: 0, debugcon: 0, codes: 0, firmware: 2344, virtio: 0 };
const command = (...cpu: string[]) => ({ binary: '/usr/bin/qemu-system-x86_64', args: ['-M', 'pc', '-accel', 'tcg', ...cpu, '-kernel', '/k.elf'] });
const run = (extra: Partial<Pick<RunResult, 'exit' | 'receivedBytes' | 'command'>>): Pick<RunResult, 'exit' | 'receivedBytes' | 'command'> => ({
  exit: { kind: 'reset' }, receivedBytes: NOTHING, command: command('-cpu', 'qemu64'), ...extra,
});

describe('cpuModelHint', () => {
  test('a reset with nothing on the guest\'s channels names the model and suggests max; the firmware\'s log does not count', () => {
    const hint = cpuModelHint(run({}));
    expect(hint).toBe('The guest reset before writing anything to its console, debug console, stage codes or virtio console, on CPU model qemu64 (-cpu qemu64). '
      + 'A kernel built for a newer CPU faults at its first instructions on a model that lacks a feature it uses: '
      + 'try machine: { cpu: max }, or a model closer to the CPU the kernel was built for (`/usr/bin/qemu-system-x86_64 -cpu help` lists them).');
  });

  test('the model QEMU used is the last -cpu (machine.qemu may add one), features included', () => {
    expect(cpuModelHint(run({ command: command('-cpu', 'max', '-cpu', 'Skylake-Server,-pku') }))).toContain('on CPU model Skylake-Server,-pku (-cpu Skylake-Server,-pku)');
  });

  test('on max or host it says that model has every feature there is, by accelerator', () => {
    expect(cpuModelHint(run({ command: command('-cpu', 'max') }))).toContain('max already has every feature QEMU\'s TCG emulates; a guest needing more needs KVM (machine: { accel: kvm, cpu: host })');
    const kvm = { binary: 'qemu-system-x86_64', args: ['-M', 'pc', '-accel', 'kvm', '-cpu', 'host'] };
    expect(cpuModelHint(run({ command: kvm }))).toContain('host already has every feature the host CPU offers.');
  });

  test.each([
    ['the console printed', { receivedBytes: { ...NOTHING, console: 1 } }],
    ['the debug console printed', { receivedBytes: { ...NOTHING, debugcon: 4 } }],
    ['a port 0x80 code came', { receivedBytes: { ...NOTHING, codes: 1 } }],
    ['the virtio console printed', { receivedBytes: { ...NOTHING, virtio: 9 } }],
    ['the guest powered off', { exit: { kind: 'poweroff' } }],
    ['the guest wrote the exit device', { exit: { kind: 'debug-exit', value: 0, status: 1 } }],
    ['the run has no exit (a timeout)', { exit: undefined }],
    ['QEMU never started', { command: undefined }],
    ['the command names no CPU model', { command: { binary: 'qemu-system-x86_64', args: ['-M', 'pc'] } }],
    ['the binary is no known architecture\'s', { command: { binary: 'qemu-system-ppc64', args: ['-cpu', 'power9'] } }],
  ] as const)('no hint when %s', (_, extra) => {
    expect(cpuModelHint(run(extra as Partial<RunResult>))).toBeUndefined();
  });
});
