// `vitest-guest qemu-args FILE`: the QEMU command a scenario runs, to reproduce it by hand.
import { join } from 'node:path';
import { readScenarioFile } from './scenario-file.js';
import { formatIssue } from '../scenario/issues.js';
import { buildQemuCommand, OBSERVED_CHANNELS, shellQuote, type ChannelSink, type ObservedChannel } from '../qemu/argv.js';
import { resolveAccel } from '../runner/host-accel.js';
import { needsDebugger } from '../debugger/debug-plan.js';
import { channelsRead } from '../scenario/channels-read.js';

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
    if (options.scenario && doc.scenario.name !== options.scenario) continue;
    const command = buildQemuCommand(doc.scenario, {
      sinks: sinksFor(options.workdir, options.standalone, needsDebugger(doc.scenario), channelsRead(doc.scenario).has('virtio')),
      accel: await resolveAccel(doc.scenario.machine.accel),
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
  if (!options.standalone && printed > 0) {
    err(`# QEMU connects to UNIX sockets in ${options.workdir} that vitest-guest listens on, and starts paused (-S).`);
    err('# For a command that runs alone in a terminal, add --standalone.');
  }
  return status;
}

function sinksFor(workdir: string, standalone: boolean, debug: boolean, virtio: boolean): Record<ObservedChannel, ChannelSink | null> {
  return Object.fromEntries(OBSERVED_CHANNELS.map((channel) => {
    if (channel === 'gdb' && (standalone || !debug)) return [channel, null];
    if (channel === 'virtio' && !virtio) return [channel, null];
    if (!standalone) return [channel, { kind: 'connect', path: join(workdir, `${channel}.sock`) }];
    if (channel === 'console') return [channel, { kind: 'stdio' }];
    if (channel === 'qmp') return [channel, null];
    return [channel, { kind: 'file', path: join(workdir, `${channel}.out`) }];
  })) as Record<ObservedChannel, ChannelSink | null>;
}
