// One scenario run: preflight, launch QEMU paused, observe every channel, decide, tear down.
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Channel, Scenario, ScreenSize, Stream } from '../scenario/model.js';
import { buildQemuCommand, type ObservedChannel, type QemuCommand } from '../qemu/argv.js';
import { listenOnce, type ChannelListener } from '../qemu/channel-listener.js';
import { inputFifo, outputFile, runSinks, type ChannelNeeds } from '../qemu/channel-sinks.js';
import { FileTail } from '../qemu/file-tail.js';
import { openConsoleInput } from '../qemu/console-input.js';
import { launchQemu, type QemuProcess } from '../qemu/launcher.js';
import { QmpClient } from '../qemu/qmp-client.js';
import { interpretExit, type ExitMeaning } from '../results/exit-status.js';
import { ScenarioMonitor, type VerdictListener } from '../match/scenario-monitor.js';
import type { FinishReason, Verdict } from '../match/verdict.js';
import type { Timeline } from '../timeline/timeline.js';
import { checkGuestFiles, findQemuBinary } from './preflight.js';
import { resolveAccel } from './host-accel.js';
import { createRunDir } from './session.js';
import { trackRun, untrackRun } from './process-registry.js';
import { RecentLines } from './recent-lines.js';
import type { TerminalScreen } from '../screen/terminal-screen.js';
import { openScreens } from '../screen/open-screens.js';
import { streamChannels, type ChannelSources } from './channel-streams.js';
import { tickClock } from './tick-clock.js';
import { needsDebugger } from '../debugger/needs-debugger.js';
import { RunError } from './run-error.js';
import { channelsRead, readsCodes } from '../scenario/channels-read.js';
import { ARCH_PROFILES } from '../arch/profiles.js';
import { TEXT_CHANNELS } from '../scenario/model.js';
import type { StageName } from '../scenario/stages.js';
import type { TimingMeasurement } from '../match/timing.js';
import { quietWatch } from './quiet-watch.js';
import type { GuestCase } from '../results/guest-case.js';
import type { GuestCrash } from '../results/guest-crash.js';
import type { DebuggerRun, DebuggerSetup } from './debug-run.js';
import { delay } from './delay.js';
import { loadBaselines } from './baselines.js';
import { join } from 'node:path';
import type { PluginBatch } from '../instrumentation/plugin-records.js';
import type { BlockCounts } from '../instrumentation/block-counts.js';
import { pluginMarks } from '../instrumentation/plugin-marks.js';
import type { InstrumentationPlan, PluginRun } from './plugin-run.js';
import type { BaselineLookup } from '../match/baseline.js';
import { snapshotNeeds, type MachineState, type SnapshotUse } from './machine-state.js';

export interface RunOptions {
  /** Aborting stops the run at once (QEMU killed, work dir removed). */
  signal?: AbortSignal;
  /** Called as each expectation is decided, before the run ends. */
  onVerdict?: VerdictListener;
  /** The figures `baseline:` limits compare with, when the caller read them already (see loadBaselines). */
  baselines?: readonly (BaselineLookup | undefined)[];
  /** Every chunk of bytes a text channel delivers, as read: the whole log of the run, e.g. for another parser. */
  onOutput?: (channel: Channel, chunk: Buffer) => void;
  /** Count every translated block through the TCG plugin (coverage, profiles): RunResult.blocks. */
  blocks?: boolean;
  /** After each plugin batch with blocks on: the counts so far, at the run's ms of the batch. */
  onBlocks?: (counts: BlockCounts, t: number, batch: PluginBatch) => void;
}

export type RunSummary = Pick<RunResult, 'stages' | 'timingMeasurements' | 'durationMs'>;

export interface RunResult {
  verdicts: Verdict[];
  exitVerdict: Verdict;
  /** Decided only when the scenario expects a crash. */
  crashVerdict: Verdict;
  /** One per timing assertion, judged when the run is over. */
  timingVerdicts: Verdict[];
  /** Each timing assertion's figure in this run (judged over runs with `repeat`). */
  timingMeasurements: TimingMeasurement[];
  /** The boot stages seen in the stage codes, host-clock ms since the resume. */
  stages: { stage: StageName; start: number; end?: number }[];
  /** The guest's own test cases, in the order they ended (at most MAX_KEPT_CASES; `droppedCases` more). */
  cases: GuestCase[];
  droppedCases: number;
  /** Crashes the guest printed, with their dumps (bounded). */
  crashes: GuestCrash[];
  finish: { reason: FinishReason; t: number; cause: string };
  exit?: ExitMeaning;
  timeline: Timeline;
  recentLines: Record<Channel, string[]>;
  /** Each channel drawn as a screen: its size and its rows as they stood when the run ended. */
  screens: Partial<Record<Channel, { size: ScreenSize; rows: string[] }>>;
  command?: QemuCommand;
  /** Wall time from resume to the end, ms. */
  durationMs: number;
  /** Bytes each channel delivered (counted up to the first past its output limit). */
  receivedBytes: Record<Stream, number>;
  /** With `repeat`: what each run measured, in run order (the rest of the result is one run's). */
  runs?: RunSummary[];
  /** With blocks on and the plugin loaded: every block translated and its executions. */
  blocks?: BlockCounts;
  /** Why breakpoints that need no stop were counted through the GDB stub (the plugin could not be used). */
  pluginFallback?: string;
  qemuStderr: string;
  /** With `snapshot:`: whether this run resumed from one, which, and what the saving run ran. */
  snapshot?: SnapshotUse;
}

/** A run's optional channels: the virtio console, the stage codes, console input and the GDB stub when the scenario uses them. */
export function channelNeeds(scenario: Scenario, debugging: boolean): ChannelNeeds {
  if (scenario.snapshot) return { ...snapshotNeeds(scenario), gdb: debugging };
  return {
    virtio: channelsRead(scenario).has('virtio'),
    codes: readsCodes(scenario),
    consoleInput: scenario.expectations.some((e) => e.kind === 'send'),
    gdb: debugging,
  };
}
/** How long QEMU's GDB stub may take to go away after QEMU itself, before it is judged gone alone. */
const DRAIN_MS = 500;
/** How long QEMU may take to connect and greet on QMP before the run is declared broken. */
const STARTUP_MS = 15_000;
/**
 * How long the plugin's stream may take to end once QEMU has: its end of the socket closed with QEMU, so this only
 * bounds a loaded host's reading. A short bound could cost the exit batch: a runner held up past it runs the
 * expired timer before it reads the socket (reasoned from the event loop's order; not seen).
 */
const PLUGIN_END_MS = 10_000;
/**
 * How long a crash dump may take to print before the run ends with what was read. A dump is a few
 * KB (milliseconds at the UART's pace); the margin is for a loaded CI runner descheduling QEMU.
 */
const CRASH_DUMP_GRACE_MS = 1000;
/** How often step timeouts are checked: their figures are seconds, so 50 ms is well within them. */
const STEP_TICK_MS = 50;

// What only some runs use (snapshots, the debugger, the TCG plugin) is imported where they need it: a
// Vitest worker loads vitest-guest before its first scenario, and each module costs it time.
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  if (scenario.snapshot) return (await import('./snapshot-run.js')).runWithSnapshot(scenario, options, runQemu);
  return runQemu(scenario, options);
}

/** One QEMU run: booted, or (`state`) the part of a snapshot scenario that saves or resumes its machine. */
async function runQemu(scenario: Scenario, options: RunOptions, state?: MachineState): Promise<RunResult> {
  const monitor = new ScenarioMonitor(scenario, options.baselines ?? await loadBaselines(scenario));
  if (options.onVerdict) monitor.onVerdict(options.onVerdict);
  const recent = Object.fromEntries(TEXT_CHANNELS.map((c) => [c, new RecentLines()])) as Record<Channel, RecentLines>;
  const screens = await openScreens(scenario.screens);
  const start = process.hrtime.bigint();
  let resumedAt: bigint | undefined;
  // A resumed machine goes on from the saving run's point: its clock starts there.
  let clockOffset = 0;
  const hostTime = tickClock(() => process.hrtime.bigint());
  const now = (): number => clockOffset + Number((hostTime() - (resumedAt ?? start)) / 1000n) / 1000;
  const received: Record<Stream, number> = { console: 0, debugcon: 0, firmware: 0, virtio: 0, codes: 0 };
  const result = (extra: Partial<RunResult>): RunResult => ({
    verdicts: scenario.expectations.map((_, i) => monitor.verdictOf(i)),
    exitVerdict: monitor.verdictOf('exit'),
    crashVerdict: monitor.verdictOf('crash'),
    timingVerdicts: scenario.timing.map((_, i) => monitor.verdictOf(`timing-${i}`)),
    stages: monitor.stageSpans(),
    timingMeasurements: monitor.timingMeasurements,
    cases: monitor.results.cases,
    droppedCases: monitor.results.droppedCases,
    crashes: monitor.results.crashes,
    finish: monitor.finished!,
    timeline: monitor.timeline,
    recentLines: Object.fromEntries(TEXT_CHANNELS.map((c) => [c, recent[c].list()])) as Record<Channel, string[]>,
    screens: Object.fromEntries(Object.entries(screens).map(([c, screen]) => [c, { size: screen.size, rows: [...screen.rows()] }])),
    durationMs: now(),
    receivedBytes: { ...received },
    qemuStderr: '',
    ...extra,
  });

  let binary: string;
  let accel: 'tcg' | 'kvm';
  let debugging: DebuggerSetup | undefined;
  let instrumentation: InstrumentationPlan;
  let plugins: typeof import('./plugin-run.js') | undefined;
  try {
    options.signal?.throwIfAborted();
    [binary, accel] = await Promise.all([findQemuBinary(scenario), resolveAccel(scenario.machine.accel, ARCH_PROFILES[scenario.machine.arch]), checkGuestFiles(scenario)]).then(([b, a]) => [b, a] as const);
    debugging = needsDebugger(scenario) ? await (await import('./debug-setup.js')).planDebugging(scenario, accel, state) : undefined;
    // Plugins are TCG's: under KVM every point stays the stub's.
    // Through the guest's own stub every breakpoint is the stub's: that is what the scenario tests.
    plugins = accel === 'tcg' && !scenario.guestStub && (debugging !== undefined || options.blocks) ? await import('./plugin-run.js') : undefined;
    instrumentation = plugins ? await plugins.planInstrumentation(binary, debugging?.plan, options.blocks ?? false) : { plugin: undefined, stub: debugging?.plan };
    debugging = debugging && instrumentation.stub ? { ...debugging, plan: instrumentation.stub } : undefined;
  } catch (error) {
    monitor.error(describeError(error), now());
    return result({});
  }

  const pluginResult = (): Partial<RunResult> => ({
    ...(pluginRun?.blocks ? { blocks: pluginRun.blocks } : {}),
    ...(instrumentation.fallback ? { pluginFallback: instrumentation.fallback } : {}),
  });
  let dir: string;
  try {
    dir = createRunDir();
  } catch (error) {
    monitor.error(`cannot create the run's folder for its sockets: ${(error as Error).message}; free space or inodes there, or point TMPDIR elsewhere`, now());
    return result({});
  }
  const listeners: Partial<Record<ObservedChannel, ChannelListener>> = {};
  const tails: Partial<Record<ObservedChannel, FileTail>> = {};
  let pluginListener: ChannelListener | undefined;
  let pluginRun: PluginRun | undefined;
  let consoleInput: Socket | undefined;
  let qemu: QemuProcess | undefined;
  let command: QemuCommand | undefined;
  try {
    const sinks = runSinks(dir, state ? { ...state.needs, gdb: debugging !== undefined } : channelNeeds(scenario, debugging !== undefined));
    for (const [name, sink] of Object.entries(sinks) as [ObservedChannel, (typeof sinks)[ObservedChannel]][]) {
      if (sink?.kind === 'connect') listeners[name] = await listenOnce(sink.path);
      const file = sink && outputFile(sink);
      // Made empty and opened before QEMU starts, so the reader is at byte 0 of what QEMU writes.
      if (file) tails[name] = await FileTail.open(file, { create: true });
      const fifo = sink && inputFifo(sink);
      if (fifo) consoleInput = await openConsoleInput(fifo);
    }
    const { plugin } = instrumentation;
    // The plugin connects while QEMU starts, like QMP: the runner listens first.
    if (plugin) pluginListener = await listenOnce(join(dir, 'plugin.sock'));
    const incoming = state?.kind === 'resume' ? join(dir, 'incoming.sock') : undefined;
    const guestRam = state ? { guestRam: { path: state.ram, shared: state.kind === 'save' } } : {};
    command = buildQemuCommand(scenario, { sinks, accel, paused: true, ...(incoming ? { incoming } : {}), ...guestRam, ...(plugin && pluginListener ? { plugin: { library: plugin.library, socket: pluginListener.path, points: plugin.counted.map((p) => p.address), marks: pluginMarks(plugin.counted, scenario), blocks: plugin.blocks } } : {}) });
    command = { ...command, binary };
    qemu = launchQemu(command);
    if (qemu.pid > 0) trackRun(qemu.pid, dir);
    const sources: ChannelSources = { console: tails.console!, debugcon: tails.debugcon!, firmware: tails.firmware!, codes: tails.codes, virtio: tails.virtio };
    const { onOutput } = options;
    if (onOutput) for (const channel of TEXT_CHANNELS) sources[channel]?.on('data', (chunk: Buffer) => onOutput(channel, chunk));
    const markResumed = (): void => {
      resumedAt = hostTime();
      if (state?.kind !== 'resume') return;
      clockOffset = state.prefix.pointT;
      monitor.restorePrefix(state.prefix, state.label);
    };
    const startPluginRun = plugins && plugin && pluginListener ? (socket: Socket): PluginRun => (pluginRun = plugins.startPlugin(socket, plugin, monitor, {
      timeOf: (ns) => clockOffset + Number((ns - (resumedAt ?? start)) / 1000n) / 1000,
      ...(options.onBlocks ? { onBlocks: options.onBlocks } : {}),
      failed: (message, t) => monitor.error(message, t),
    })) : undefined;
    const run: Observation = { scenario, monitor, qemu, listeners, pluginListener, startPluginRun, sources, consoleInput, recent, screens, received, signal: options.signal, debugging, markResumed, now, state, dir, runStart: start };
    const outcome = await observe(run);
    return result({ exit: outcome, command, qemuStderr: qemu.stderrTail(), ...pluginResult() });
  } catch (error) {
    monitor.error(describeError(error), now());
    return result({ command, qemuStderr: qemu?.stderrTail() ?? '', ...pluginResult() });
  } finally {
    if (qemu && qemu.pid > 0) {
      qemu.kill();
      await qemu.ended;
      untrackRun(qemu.pid);
    }
    for (const listener of Object.values(listeners)) listener.close();
    pluginListener?.close();
    for (const tail of Object.values(tails)) tail.stop();
    for (const screen of Object.values(screens)) screen.dispose();
    consoleInput?.destroy();
    // Not rmSync: unlinking the files QEMU wrote waits on the file system's journal (~0.3 ms a file here,
    // up to 10 ms under other processes' disk writes), which would hold up every other run of the worker.
    await rm(dir, { recursive: true, force: true });
  }
}

/** Streams events into the monitor until it has a finish; returns how the guest ended, if it did. */
interface Observation {
  scenario: Scenario;
  monitor: ScenarioMonitor;
  qemu: QemuProcess;
  listeners: Partial<Record<ObservedChannel, ChannelListener>>;
  /** The TCG plugin's socket, when it counts anything, and what starts its side once it connects. */
  pluginListener: ChannelListener | undefined;
  startPluginRun: ((socket: Socket) => PluginRun) | undefined;
  sources: ChannelSources;
  screens: Partial<Record<Channel, TerminalScreen>>;
  /** The serial console's input, when the scenario sends any. */
  consoleInput: Socket | undefined;
  recent: Record<Channel, RecentLines>;
  received: Record<Stream, number>;
  signal: AbortSignal | undefined;
  debugging: DebuggerSetup | undefined;
  markResumed: () => void;
  now: () => number;
  state: MachineState | undefined;
  /** The run's private folder. */
  dir: string;
  /** When the run began (before its preflight), host clock. */
  runStart: bigint;
}

async function observe({ scenario, monitor, qemu, listeners, pluginListener, startPluginRun, sources, consoleInput, recent, screens, received, signal, debugging, markResumed, now, state, dir, runStart }: Observation): Promise<ExitMeaning | undefined> {
  let shutdownReason: string | undefined;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => { finished = resolve; });
  const check = (): void => { if (monitor.finished) finished(); };

  const onAbort = (): void => { monitor.error('the run was aborted (test cancelled or timed out in Vitest)', now()); check(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const names = Object.keys(listeners) as ObservedChannel[];
  const quiet = quietWatch(scenario, () => { monitor.endCondition(`no output for ${quiet.seconds} s (end: quiet)`, now()); check(); });
  // The guest's output is read from the start, whatever happens on the sockets.
  const drained = streamChannels(sources, monitor, recent, now, () => { quiet.rearm(); check(); }, scenario.outputLimits, received, screens);
  // QEMU connects QMP (and the GDB stub) while it starts; if it dies or stalls first, say why.
  let stalled = false;
  const startupTimer = setTimeout(() => { stalled = true; finished(); }, STARTUP_MS);
  const sockets = await Promise.race([
    Promise.all([...names.map((n) => listeners[n]!.connected), ...(pluginListener ? [pluginListener.connected] : [])]),
    qemu.ended.then(() => undefined),
    done.then(() => undefined),
  ]);
  clearTimeout(startupTimer);
  if (!sockets) {
    signal?.removeEventListener('abort', onAbort);
    quiet.stop();
    if (stalled) throw new RunError('qemu-failed', `QEMU did not connect its channels within ${STARTUP_MS / 1000} s.`);
    if (monitor.finished) return undefined;
    throw await startFailure(qemu, undefined);
  }
  const socketOf = Object.fromEntries(names.map((name, i) => [name, sockets[i]!])) as Partial<Record<ObservedChannel, Socket>>;
  const qmpSocket = socketOf.qmp!;
  const gdbSocket = socketOf.gdb;
  const plugin = pluginListener ? startPluginRun?.(sockets[names.length]!) : undefined;
  plugin?.onObserved(check);
  // Interactive steps: input goes into the console's FIFO, which QEMU reads as the guest's serial input.
  monitor.onSend((channel, text) => {
    consoleInput?.write(text);
    recent.console.add(`> ${JSON.stringify(text)}`);
  });
  const ticker = scenario.expectations.some((e) => e.timeout !== undefined) ? setInterval(() => { monitor.tick(now()); check(); }, STEP_TICK_MS) : undefined;
  const qmpEnds = new Set(scenario.end.flatMap((e) => (e.kind === 'qmp' ? [e.event] : [])));

  const qmp = new QmpClient(qmpSocket, (event) => {
    if (event.event === 'SHUTDOWN') shutdownReason = String(event.data?.reason ?? '');
    if (qmpEnds.has(event.event)) { monitor.endCondition(`QMP event ${event.event} (end: qmp)`, now()); check(); }
  });
  let debuggerRun: DebuggerRun | undefined;
  const timeout = setTimeout(() => {
    const t = now();
    // A guest still running under the debugger is stopped first and its vCPUs located, for the failure to say;
    // the plugin's counts up to now are read first too.
    void Promise.all([debuggerRun?.locate() ?? Promise.resolve([]), plugin?.flush(DRAIN_MS)]).then(([located]) => { monitor.timeout(t, located); check(); });
  }, scenario.timeout * 1000);
  let crashGrace: NodeJS.Timeout | undefined;
  monitor.onCrash(() => { crashGrace = setTimeout(() => { monitor.endCrashDump(now()); check(); }, CRASH_DUMP_GRACE_MS); });

  let exit: ExitMeaning | undefined;
  const guestEnded = qemu.ended.then(async (end) => {
    // Everything the guest wrote before QEMU ended is in the files: read it all before judging the end.
    await Promise.all(Object.values(sources).map((tail) => tail?.finish()));
    await drained;
    // The plugin's last batch, sent at QEMU's exit, holds the counts since the one before: no verdict without it.
    if (plugin && !(await plugin.ended(PLUGIN_END_MS))) monitor.error(`the TCG plugin's stream had not ended ${PLUGIN_END_MS / 1000} s after QEMU exited: its last counts are unknown`, now());
    exit = interpretExit({ ...end, shutdownReason, killedByRunner: monitor.finished !== undefined }, ARCH_PROFILES[scenario.machine.arch].statusExit.kind);
    monitor.exit(exit, now());
    check();
  });
  // Raced against the finish, so a QEMU that never greets cannot hold the run past its timeout or an abort.
  let contSent = false;
  const resume = async (): Promise<void> => {
    await qmp.greeting;
    await qmp.execute('qmp_capabilities');
    if (state?.kind === 'resume' && !(await loadSnapshot(state))) return;
    const debuggers = debugging && gdbSocket ? await import('./debug-run.js') : undefined;
    if (debugging && gdbSocket && debuggers && scenario.guestStub) {
      const { guestStubWaiting } = await import('./guest-stub-wait.js');
      // The guest's stub exists once the kernel runs: the guest boots until it says it waits for a debugger.
      markResumed();
      quiet.rearm();
      contSent = true;
      const waiting = guestStubWaiting(sources.console, done);
      await qmp.execute('cont');
      if (!(await waiting)) return;
      debuggerRun = debuggers.startDebugger(gdbSocket, debugging, scenario, monitor, () => undefined, check, now);
      await debuggerRun.ended;
      return;
    }
    if (debugging && gdbSocket && debuggers) {
      // The debugger resumes the guest itself, once every point is armed, and handles each stop.
      debuggerRun = debuggers.startDebugger(gdbSocket, debugging, scenario, monitor, () => { markResumed(); quiet.rearm(); contSent = true; }, check, now);
      await debuggerRun.ended;
      // Held at a snapshot's breakpoint: the session ended with the guest stopped there, for the save. The
      // plugin's counts up to the hold (prefix breakpoints it counts) are asked for now, not at its next batch.
      if (await debuggerRun.held) {
        await plugin?.flush(DRAIN_MS);
        return;
      }
      // The stub goes away when QEMU exits. With QEMU still there, the stub alone went (`gdbserver none`
      // on a monitor, say): breakpoints and faults no longer work, so the run cannot be judged.
      const exited = await Promise.race([qemu.ended.then(() => true), delay(DRAIN_MS).then(() => false)]);
      if (!exited && !monitor.finished) {
        monitor.error('the GDB stub closed the connection while QEMU kept running: breakpoints, watches and faults no longer work', now());
        check();
      }
      return;
    }
    markResumed();
    quiet.rearm();
    contSent = true;
    await qmp.execute('cont');
  };
  /** Streams the saved machine into QEMU; a stream QEMU refuses, or one not as saved, ends the run here. */
  const loadSnapshot = async (resumed: Extract<MachineState, { kind: 'resume' }>): Promise<boolean> => {
    try {
      const [{ loadMachine }, { streamMismatch }] = await Promise.all([import('../snapshot/migration.js'), import('../snapshot/manifest.js')]);
      const figures = await loadMachine(qmp, join(dir, 'incoming.sock'), resumed.file, signal ?? new AbortController().signal);
      const mismatch = streamMismatch(resumed.expected, figures);
      if (mismatch) throw new Error(mismatch);
    } catch (error) {
      monitor.error(`the snapshot ${resumed.label} could not be resumed: ${(error as Error).message}`, now());
      check();
      return false;
    }
    resumed.loaded({ restoreMs: Number(process.hrtime.bigint() - runStart) / 1e6 });
    return true;
  };
  resume().catch(async (error: unknown) => {
    if (monitor.finished) return;
    // A debugger session failing while the guest runs (a stalled stub, a refused packet) ends the run
    // with its own message; left alone, the run would only say its timeout ran out.
    if (error instanceof RunError && error.code === 'debugger-failed') {
      monitor.error(error.message, now());
      check();
      return;
    }
    // Once `cont` is sent the guest runs: a fast one can exit before QEMU answers it (seen on microvm),
    // and that end is judged from QEMU's exit status like any other.
    if (contSent) return;
    monitor.error((await startFailure(qemu, error)).message, now());
    check();
  });
  await done;
  // The prefix met in full: the guest is where the point left it, and is saved from there.
  // At a breakpoint, the guest is saved where the session holds it.
  if (state?.kind === 'save' && monitor.finished?.reason === 'verdict-known' && scenario.expectations.every((e) => monitor.verdictOf(e.index).status === 'passed')) await state.save(qmp, dir, debugging?.plan.holdAt !== undefined ? await debuggerRun?.held : undefined);
  clearTimeout(timeout);
  clearTimeout(crashGrace);
  clearInterval(ticker);
  quiet.stop();
  signal?.removeEventListener('abort', onAbort);
  if (monitor.finished?.reason !== 'guest-exit') qemu.kill();
  await guestEnded;
  return exit?.kind === 'killed-by-runner' ? undefined : exit;
}

/** QEMU ended or broke off before the guest ran: its own error lines say why. */
async function startFailure(qemu: QemuProcess, cause: unknown): Promise<RunError> {
  const end = await Promise.race([qemu.ended, delay(DRAIN_MS).then(() => undefined)]);
  const why = end?.qemuErrors.length ? end.qemuErrors.join('; ') : end ? `status ${end.exitCode ?? end.signal}` : (cause as Error)?.message ?? String(cause);
  return new RunError('qemu-failed', `QEMU stopped before the guest started: ${why}.`,
    'Check the kernel and the machine options; `npx vitest-guest qemu-args <file>` prints the command to try by hand.', { cause });
}

/** Errors this project raises say what to do in their message (RunError, and the debugger's PlanError and SymbolError). */
const OWN_ERRORS = new Set(['RunError', 'PlanError', 'SymbolError']);

function describeError(error: unknown): string {
  if (error instanceof Error && OWN_ERRORS.has(error.name)) return error.message;
  if ((error as { name?: string })?.name === 'AbortError') return 'the run was aborted before QEMU started';
  return `internal error: ${(error as Error)?.message ?? String(error)}`;
}
