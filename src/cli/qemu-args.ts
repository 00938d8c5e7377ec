// `vitest-guest qemu-args FILE`: the QEMU command a scenario runs, to reproduce it by hand.
import { ARCH_PROFILES } from '../arch/profiles.js';
import { join } from 'node:path';
import { isScenarioNamed, readScenarioFile } from './scenario-file.js';
import { formatIssue } from '../scenario/issues.js';
import { buildQemuCommand, shellQuote, type ChannelSink, type ObservedChannel } from '../qemu/argv.js';
import { runSinks, type ChannelNeeds } from '../qemu/channel-sinks.js';
import { resolveAccel } from '../runner/host-accel.js';
import { channelNeeds } from '../runner/run-scenario.js';
import { planDebugging, type SnapshotPart } from '../runner/debug-setup.js';
import { planInstrumentation, type InstrumentationPlan } from '../runner/plugin-run.js';
import { pluginMarks } from '../instrumentation/plugin-marks.js';
import { findQemuBinary } from '../runner/preflight.js';
import type { Scenario } from '../scenario/model.js';
import { needsDebugger } from '../debugger/needs-debugger.js';
import { prefixScenario } from '../runner/snapshot-run.js';

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
    const accel = await resolveAccel(doc.scenario.machine.accel, ARCH_PROFILES[doc.scenario.machine.arch]);
    out(`# ${doc.scenario.name}`);
    const point = doc.scenario.snapshot;
    if (point && !options.standalone) {
      // A snapshot scenario runs two commands: the prefix booted and saved once per key, then its own resume.
      out(`# saves the snapshot (once per key): the expectations up to "${point.at}" booted alone, the machine then migrated to unix:${join(options.workdir, 'migrate.sock')}`);
      // The snapshot folder's <key>.ram in a run; the work folder here, like the sockets.
      const ram = join(options.workdir, 'guest.ram');
      const held = await printCommand(prefixScenario(doc.scenario), accel, options, out, { guestRam: { path: ram, shared: true }, part: { kind: 'save' } });
      out(`# resumes from it: the saved machine streamed into unix:${join(options.workdir, 'incoming.sock')}, then the rest of the scenario`);
      await printCommand(doc.scenario, accel, options, out, { incoming: join(options.workdir, 'incoming.sock'), guestRam: { path: ram, shared: false }, part: { kind: 'resume', prefix: held ? { stop: held } : {} } });
    } else {
      await printCommand(doc.scenario, accel, options, out);
    }
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
    out('# UNIX sockets there that vitest-guest listens on (QMP, the GDB stub, the TCG plugin\'s counts), and starts paused (-S).');
    out('# For a command that runs alone in a terminal, add --standalone.');
  }
  return status;
}

/**
 * Prints one command; `snapshot.part`, for a snapshot scenario's two. Returns where a breakpoint point would
 * hold the saved guest (its first address), for the resuming command to be planned as a run resumed there.
 */
async function printCommand(scenario: Scenario, accel: 'tcg' | 'kvm', options: QemuArgsOptions, out: (line: string) => void, snapshot: { incoming?: string; guestRam?: { path: string; shared: boolean }; part?: SnapshotPart } = {}): Promise<{ vcpu: number; pc: string } | undefined> {
  const { incoming, guestRam, part } = snapshot;
  // Alone in a terminal nothing listens for the plugin's stream: it is left out, like the GDB stub.
  const counting = options.standalone ? undefined : await instrumentationOf(scenario, accel, part);
  const { plugin } = counting?.plan ?? {};
  const command = buildQemuCommand(scenario, {
    sinks: sinksFor(options.workdir, options.standalone, channelNeeds(scenario, counting?.plan ? counting.plan.stub !== undefined : needsDebugger(scenario))),
    accel,
    paused: !options.standalone,
    ...(incoming ? { incoming } : {}),
    ...(guestRam ? { guestRam } : {}),
    ...(plugin ? { plugin: { library: plugin.library, socket: join(options.workdir, 'plugin.sock'), points: plugin.counted.map((p) => p.address), marks: pluginMarks(plugin.counted, scenario), blocks: plugin.blocks } } : {}),
  });
  if (counting?.note) out(`# ${counting.note}`);
  out(shellQuote([command.binary, ...command.args]));
  return counting?.held;
}

/**
 * What a run gives the TCG plugin and what the GDB stub (symbols resolved, the QEMU binary probed); a
 * note when the plugin is not used, or when the targets do not resolve (the run would say so too).
 */
async function instrumentationOf(scenario: Scenario, accel: 'tcg' | 'kvm', part: SnapshotPart | undefined): Promise<{ plan?: InstrumentationPlan; note?: string; held?: { vcpu: number; pc: string } }> {
  try {
    const debugging = await planDebugging(scenario, accel, part);
    const { holdAt } = debugging?.plan ?? {};
    const point = holdAt === undefined ? undefined : [...debugging!.plan.code.values()].find((p) => p.expectations.some(({ expectation }) => expectation.index === holdAt));
    const held = point ? { held: { vcpu: 0, pc: `0x${point.address.toString(16)}` } } : {};
    // coverage: and profile: count every block through the plugin.
    const blocks = scenario.coverage !== undefined || scenario.profile !== undefined;
    // The guest's own stub takes every breakpoint (run-scenario.ts): nothing goes to the plugin.
    if (accel !== 'tcg' || (!debugging && !blocks) || scenario.guestStub) return held;
    const plan = await planInstrumentation(await findQemuBinary(scenario), debugging?.plan, blocks, () => undefined);
    return { plan, ...(plan.fallback ? { note: plan.fallback } : {}), ...held };
  } catch (error) {
    return { note: `breakpoints not planned: ${(error as Error).message}` };
  }
}

function sinksFor(workdir: string, standalone: boolean, needs: ChannelNeeds): Record<ObservedChannel, ChannelSink | null> {
  const sinks = runSinks(workdir, needs);
  if (!standalone) return sinks;
  // Alone in a terminal: the console on the terminal, no QMP or GDB stub, the rest in the same files.
  return { ...sinks, console: { kind: 'stdio' }, qmp: null, gdb: null };
}
