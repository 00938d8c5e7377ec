// The vitest-guest command line.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuArgsCommand } from './qemu-args.js';
import { parseCommand } from './parse.js';
import { baselineCommand } from './baseline.js';
import { readLineFormat } from './scenario-formats.js';
import { GUEST_FORMAT_OPTIONS, type GuestFormatOption } from '../results/guest-result-parser.js';

/** Each command's usage, printed by `vitest-guest <command> --help` and with its argument errors. */
const COMMAND_USAGE = {
  'qemu-args': `qemu-args <scenario.yaml> [--scenario NAME] [--standalone] [--workdir DIR]
      Print the QEMU command line each scenario of the file runs (each architecture of a matrix).
      --scenario    one scenario by name; a matrix's name picks each of its architectures
      --standalone  serial console on stdio, other channels to files in DIR, CPUs not paused
      --workdir     folder for the channel sockets or files (default: ${join(tmpdir(), 'vitest-guest-run')})`,
  baseline: `baseline <scenario.yaml> [--scenario NAME] [--runs N]
      Boot each scenario of the file with timing assertions N times (default 5) and record the
      figures in <scenario>.baseline.json beside it, for \`baseline: 20%\` limits; commit that file.
      Exit status: 0 recorded, 1 a run failed, 2 usage error or invalid scenario file.`,
  parse: `parse <console.log> [--format uktest|ktap|auto] [--formats scenario.yaml --format NAME] [--json]
      Read a saved guest console log: Unikraft uktest and KTAP/KUnit results, and crashes
      (Unikraft crash screens, Linux panic/BUG/Oops/WARNING/KASAN). Prints one uktest-style line per case
      and \`N passed, N failed\`; --json prints cases, crashes and counts as JSON.
      --format      which output to look for (default: auto, both)
      --formats     a scenario file whose \`formats:\` declares the --format NAME to read instead
      Exit status: 0 all cases passed or skipped, 1 a case failed or crashed, a panic or Unikraft crash
      was seen, or no case was found; 2 usage error, unreadable file or unknown format; 141 the reader
      closed the pipe before the end (\`| head\`).`,
};
type Command = keyof typeof COMMAND_USAGE;

const USAGE = `usage: vitest-guest <command> [options]

commands:
  ${Object.values(COMMAND_USAGE).join('\n\n  ')}

Scenario files run as tests with Vitest: npx vitest run scenarios/hello.yaml
\`vitest-guest <command> --help\` shows one command's usage.`;

const commandUsage = (command: Command): string => `usage: vitest-guest ${COMMAND_USAGE[command]}`;

const COMMAND_OPTIONS = {
  'qemu-args': { scenario: { type: 'string' }, standalone: { type: 'boolean' }, workdir: { type: 'string' } },
  baseline: { scenario: { type: 'string' }, runs: { type: 'string' } },
  parse: { format: { type: 'string' }, formats: { type: 'string' }, json: { type: 'boolean' } },
} satisfies Record<Command, ParseArgsConfig['options']>;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const err = (line: string): void => void process.stderr.write(`${line}\n`);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (!Object.hasOwn(COMMAND_USAGE, command)) {
    err(`vitest-guest: unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const name = command as Command;
  const usageError = (message: string): number => {
    err(`vitest-guest: ${message}\n\n${commandUsage(name)}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { ...COMMAND_OPTIONS[name], help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
  if (values.help) {
    out(commandUsage(name));
    return 0;
  }
  const text = (key: string): string | undefined => values[key] as string | undefined;
  if (name === 'qemu-args') {
    if (positionals.length !== 1) return usageError('qemu-args takes exactly one scenario file.');
    return qemuArgsCommand({
      file: positionals[0]!,
      scenario: text('scenario'),
      standalone: values.standalone === true,
      workdir: text('workdir') ?? join(tmpdir(), 'vitest-guest-run'),
    }, out, err);
  }
  if (name === 'parse') {
    if (positionals.length !== 1) return usageError('parse takes exactly one console log file.');
    const formatsFile = text('formats');
    const format = text('format');
    if (formatsFile !== undefined) {
      if (format === undefined) return usageError(`--formats ${formatsFile} needs --format NAME: the name of one of its formats.`);
      const lineFormat = await readLineFormat(formatsFile, format, err);
      if (!lineFormat) return 2;
      return parseCommand({ file: positionals[0]!, format: lineFormat, json: values.json === true }, out, err);
    }
    if (format !== undefined && !(GUEST_FORMAT_OPTIONS as readonly string[]).includes(format)) {
      return usageError(`--format must be one of ${GUEST_FORMAT_OPTIONS.join(', ')}, or a scenario's own format with --formats scenario.yaml; got "${format}".`);
    }
    return parseCommand({ file: positionals[0]!, format: (format ?? 'auto') as GuestFormatOption, json: values.json === true }, out, err);
  }
  const runs = Number(text('runs') ?? '5');
  if (positionals.length !== 1 || !Number.isInteger(runs) || runs < 1 || runs > 100) return usageError('baseline takes one scenario file and --runs from 1 to 100.');
  return baselineCommand({ file: positionals[0]!, scenario: text('scenario'), runs }, out, err);
}
