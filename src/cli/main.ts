// The vitest-guest command line.
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuArgsCommand } from './qemu-args.js';
import { parseCommand } from './parse.js';
import { baselineCommand } from './baseline.js';
import { GUEST_FORMAT_OPTIONS, type GuestFormatOption } from '../results/guest-result-parser.js';

const USAGE = `usage: vitest-guest <command> [options]

commands:
  qemu-args <scenario.yaml> [--scenario NAME] [--standalone] [--workdir DIR]
      Print the QEMU command line each scenario of the file runs.
      --standalone  serial console on stdio, other channels to files in DIR, CPUs not paused
      --workdir     folder for the channel sockets or files (default: ${join(tmpdir(), 'vitest-guest-run')})

  baseline <scenario.yaml> [--scenario NAME] [--runs N]
      Boot each scenario of the file with timing assertions N times (default 5) and record the
      figures in <scenario>.baseline.json beside it, for \`baseline: 20%\` limits; commit that file.
      Exit status: 0 recorded, 1 a run failed, 2 usage error or invalid scenario file.

  parse <console.log> [--format uktest|ktap|auto] [--json]
      Read a saved guest console log: Unikraft uktest and KTAP/KUnit results, and crashes
      (Unikraft crash screens, Linux panic/BUG/Oops/WARNING/KASAN). Prints one uktest-style line per case
      and \`N passed, N failed\`; --json prints cases, crashes and counts as JSON.
      --format      which output to look for (default: auto, both)
      Exit status: 0 all cases passed or skipped, 1 a case failed or crashed, a panic or Unikraft crash
      was seen, or no case was found; 2 usage error or unreadable file; 141 the reader closed the
      pipe before the end (\`| head\`).

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
  if (command === 'parse') {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'auto' }, json: { type: 'boolean', default: false } } });
    } catch (error) {
      err(`vitest-guest: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (parsed.positionals.length !== 1) {
      err(`vitest-guest: parse takes exactly one console log file.\n\n${USAGE}`);
      return 2;
    }
    const format = parsed.values.format ?? 'auto';
    if (!(GUEST_FORMAT_OPTIONS as readonly string[]).includes(format)) {
      err(`vitest-guest: --format must be one of ${GUEST_FORMAT_OPTIONS.join(', ')}; got "${format}".`);
      return 2;
    }
    return parseCommand({ file: parsed.positionals[0]!, format: format as GuestFormatOption, json: parsed.values.json ?? false }, out, err);
  }
  if (command === 'baseline') {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, allowPositionals: true, options: { scenario: { type: 'string' }, runs: { type: 'string', default: '5' } } });
    } catch (error) {
      err(`vitest-guest: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const runs = Number(parsed.values.runs);
    if (parsed.positionals.length !== 1 || !Number.isInteger(runs) || runs < 1 || runs > 100) {
      err(`vitest-guest: baseline takes one scenario file and --runs from 1 to 100.\n\n${USAGE}`);
      return 2;
    }
    return baselineCommand({ file: parsed.positionals[0]!, scenario: parsed.values.scenario, runs }, out, err);
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  err(`vitest-guest: unknown command "${command}".\n\n${USAGE}`);
  return 2;
}
