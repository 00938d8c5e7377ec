// The vitest-guest command line.
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuArgsCommand } from './qemu-args.js';

const USAGE = `usage: vitest-guest <command> [options]

commands:
  qemu-args <scenario.yaml> [--scenario NAME] [--standalone] [--workdir DIR]
      Print the QEMU command line each scenario of the file runs.
      --standalone  serial console on stdio, other channels to files in DIR, CPUs not paused
      --workdir     folder for the channel sockets or files (default: ${join(tmpdir(), 'vitest-guest-run')})

Scenario files run as tests with Vitest: npx vitest run scenarios/hello.yaml`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  if (command === 'qemu-args') {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, allowPositionals: true, options: { scenario: { type: 'string' }, standalone: { type: 'boolean', default: false }, workdir: { type: 'string' } } });
    } catch (error) {
      err(`vitest-guest: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (parsed.positionals.length !== 1) {
      err(`vitest-guest: qemu-args takes exactly one scenario file.\n\n${USAGE}`);
      return 2;
    }
    return qemuArgsCommand({
      file: parsed.positionals[0]!,
      scenario: parsed.values.scenario,
      standalone: parsed.values.standalone ?? false,
      workdir: parsed.values.workdir ?? join(tmpdir(), 'vitest-guest-run'),
    }, out, err);
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  err(`vitest-guest: unknown command "${command}".\n\n${USAGE}`);
  return 2;
}
