// The vitest-guest command line: qemu-args prints the runner's command, and the standalone one really runs.
import { describe, test, expect, beforeAll } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, REFERENCE_KERNEL, requireQemuAndGuest } from './support/host.js';

const CLI = join(REPO, 'bin/vitest-guest.js');
const cli = (args: string[]) => execa('node', [CLI, ...args], { cwd: REPO, reject: false });

beforeAll(requireQemuAndGuest);

describe('vitest-guest qemu-args', () => {
  test('prints the exact paused command the runner uses, then what it expects around it, all on stdout', async () => {
    const { stdout, stderr, exitCode } = await cli(['qemu-args', 'scenarios/hello.yaml', '--workdir', '/run/vg']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([
      '# hello',
      'qemu-system-x86_64 -M pc -accel tcg -cpu max -smp 1 -m 128M -nodefaults -no-user-config -display none -no-reboot -S'
        + ' -chardev file,id=vg-console,path=/run/vg/console.out -serial chardev:vg-console'
        + ' -chardev file,id=vg-debugcon,path=/run/vg/debugcon.out -device isa-debugcon,iobase=0xe9,chardev=vg-debugcon'
        + ' -chardev file,id=vg-firmware,path=/run/vg/firmware.out -device isa-debugcon,iobase=0x402,chardev=vg-firmware'
        + ' -chardev socket,id=vg-qmp,path=/run/vg/qmp.sock -mon chardev=vg-qmp,mode=control'
        + ` -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel ${REFERENCE_KERNEL} -append 'print="Hello from guest" exit=0'`,
      '# QEMU writes the guest\'s channels to files in /run/vg that vitest-guest reads as they grow, connects to',
      '# UNIX sockets there that vitest-guest listens on (QMP, the GDB stub, the TCG plugin\'s counts), and starts paused (-S).',
      '# For a command that runs alone in a terminal, add --standalone.',
    ]);
  });

  test('machine.qemu arguments end the command line, and the notes start on lines of their own (issue 13, defect 10)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vg-cli-'));
    const file = join(dir, 'bios.yaml');
    writeFileSync(file, `name: own-bios\nguest: { kernel: ${REFERENCE_KERNEL} }\nmachine: { type: microvm, cpu: qemu64, qemu: [-bios, qboot.rom] }\nexit: any\n`);
    // The reader that showed the defect: stdout with its final newline stripped (execa's default, and many
    // tools'), then stderr. The notes went to stderr and were glued to the command: `-bios qboot.rom# QEMU...`.
    const { stdout, stderr } = await execa('node', [CLI, 'qemu-args', file, '--workdir', '/run/vg'], { cwd: REPO });
    const all = stdout + stderr;
    const lines = all.split('\n');
    expect(lines[0]).toBe('# own-bios');
    expect(lines[1]).toMatch(/^qemu-system-x86_64 -M microvm -accel tcg -cpu qemu64 .* -kernel \S+ -bios qboot\.rom$/);
    expect(lines.slice(2).every((line) => line.startsWith('# '))).toBe(true);
    expect(lines).toHaveLength(5);
    // Pasted into a shell whole, the notes are comments: `bash -n` parses it without running QEMU.
    await execa('bash', ['-n', '-c', all]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('--standalone prints a command that boots the guest by itself', async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'vg-cli-'));
    const { stdout } = await cli(['qemu-args', 'scenarios/hello.yaml', '--standalone', '--workdir', workdir]);
    const command = stdout.split('\n')[1]!;
    // The printed line is meant for a shell: run it through one, as a user pasting it would.
    const run = await execa('bash', ['-c', command], { reject: false, timeout: 20_000 });
    expect(run.stdout).toContain('Hello from guest');
    expect(run.exitCode).toBe(1); // debug-exit value 0
    rmSync(workdir, { recursive: true, force: true });
  });

  test('--scenario picks one scenario of a multi-document file', async () => {
    const { stdout } = await cli(['qemu-args', 'scenarios/machines.yaml', '--scenario', 'microvm']);
    expect(stdout).toMatch(/^# microvm\nqemu-system-x86_64 -M microvm /);
    expect(stdout.match(/^qemu-system-x86_64 /gm)).toHaveLength(1);
  });

  test('a matrix file prints each architecture\'s binary and arguments; --scenario with the matrix\'s name picks all of them', async () => {
    const { stdout, stderr, exitCode } = await cli(['qemu-args', 'scenarios/arch/matrix.yaml', '--workdir', '/run/vg']);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('# matrix'))).toEqual(['# matrix (x86_64)', '# matrix (aarch64)', '# matrix (riscv64)']);
    const commands = lines.filter((line) => line.startsWith('qemu-system-'));
    expect(commands).toHaveLength(3);
    const [x86, arm, riscv] = commands;
    expect(x86).toMatch(/^qemu-system-x86_64 -M pc .* -device isa-debugcon,iobase=0x80,chardev=vg-codes .* -device isa-debug-exit,iobase=0xf4,iosize=0x4 -kernel \S+\/guests\/reference\/build\/x86_64\/reference\.elf -append 'print="hello from x86_64" /);
    expect(arm).toMatch(/^qemu-system-aarch64 -M virt -accel tcg -cpu max,pauth-impdef=on .* -device pci-serial,chardev=vg-codes -semihosting-config enable=on,target=native,chardev=vg-debugcon .* -kernel \S+\/build\/aarch64\/reference\.elf -append 'print="hello from aarch64" /);
    expect(riscv).toMatch(/^qemu-system-riscv64 -M virt -accel tcg -cpu rv64 .* -device pci-serial,chardev=vg-codes -semihosting-config enable=on,target=native,chardev=vg-debugcon .* -kernel \S+\/build\/riscv64\/reference\.elf -append 'print="hello from riscv64" /);
    for (const command of [arm, riscv]) expect(command).not.toMatch(/isa-debug|iobase/);
    const picked = await cli(['qemu-args', 'scenarios/arch/matrix.yaml', '--scenario', 'matrix', '--workdir', '/run/vg']);
    expect(picked.stdout.match(/^qemu-system-\S+/gm)).toEqual(['qemu-system-x86_64', 'qemu-system-aarch64', 'qemu-system-riscv64']);
    const one = await cli(['qemu-args', 'scenarios/arch/matrix.yaml', '--scenario', 'matrix (riscv64)', '--workdir', '/run/vg']);
    expect(one.stdout.match(/^qemu-system-\S+/gm)).toEqual(['qemu-system-riscv64']);
  });

  test('an invalid scenario file prints file:line:col and exits 2', async () => {
    const { stderr, exitCode } = await cli(['qemu-args', 'scenarios/failing/invalid.yaml']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('scenarios/failing/invalid.yaml:7:5: expect[0]: expected a map with one of the keys');
  });

  test('unknown commands and missing arguments print the usage and exit 2', async () => {
    for (const args of [['frobnicate'], ['qemu-args'], []]) {
      const { stderr, stdout, exitCode } = await cli(args);
      expect(exitCode).toBe(2);
      expect(stderr + stdout).toContain('usage: vitest-guest');
    }
  });
});
