// `vitest-guest qemu-args FILE`: the QEMU command a scenario runs, to reproduce it by hand.
import { ARCH_PROFILES } from '../arch/profiles.js';
import { join } from 'node:path';
import { isScenarioNamed, readScenarioFile } from './scenario-file.js';
import { formatIssue } from '../scenario/issues.js';
import { buildQemuCommand, shellQuote, type ChannelSink, type ObservedChannel } from '../qemu/argv.js';
import { runSinks, type ChannelNeeds } from '../qemu/channel-sinks.js';
import { resolveAccel } from '../runner/host-accel.js';
import { channelNeeds } from '../runner/run-scenario.js';
import { needsDebugger } from '../debugger/debug-plan.js';

export interface QemuArgsOptions {
  file: string;
  scenario?: string;
  /** Channels to stdio and files, CPUs running: a command that works alone in a terminal. */
  standalone: boolean;
  workdir: string;
}

/** Prints one command per scenario; returns the process exit code. */
export async function qemuArgsCommand(options: QemuArgsOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const documents = await readScenarioFile(options.file, err);
  if (!documents) return 2;
  let status = 0;
  let printed = 0;
  for (const doc of documents) {
    if (!doc.ok) {
      doc.issues.forEach((issue) => err(formatIssue(issue)));
      status = 2;
      continue;
    }
    if (options.scenario && !isScenarioNamed(doc.scenario, options.scenario)) continue;
    const command = buildQemuCommand(doc.scenario, {
      sinks: sinksFor(options.workdir, options.standalone, channelNeeds(doc.scenario, needsDebugger(doc.scenario))),
      accel: await resolveAccel(doc.scenario.machine.accel, ARCH_PROFILES[doc.scenario.machine.arch]),
      paused: !options.standalone,
    });
    out(`# ${doc.scenario.name}`);
    out(shellQuote([command.binary, ...command.args]));
    printed++;
  }
  if (options.scenario && printed === 0 && status === 0) {
    err(`vitest-guest: no scenario named "${options.scenario}" in ${options.file}.`);
    return 2;
  }
  // The notes are shell comments on stdout, after the commands: on stderr they met the last command in
  // readers that join the two streams (`-bios qboot.rom# QEMU writes...`), and a pasted output still runs.
  if (!options.standalone && printed > 0) {
    out(`# QEMU writes the guest's channels to files in ${options.workdir} that vitest-guest reads as they grow, connects to`);
    out('# UNIX sockets there that vitest-guest listens on (QMP, the GDB stub), and starts paused (-S).');
    out('# For a command that runs alone in a terminal, add --standalone.');
  }
  return status;
}

function sinksFor(workdir: string, standalone: boolean, needs: ChannelNeeds): Record<ObservedChannel, ChannelSink | null> {
  const sinks = runSinks(workdir, needs);
  if (!standalone) return sinks;
  // Alone in a terminal: the console on the terminal, no QMP or GDB stub, the rest in the same files.
  return { ...sinks, console: { kind: 'stdio' }, qmp: null, gdb: null };
}
