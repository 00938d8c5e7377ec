// Boot once, test many: a scenario with `snapshot:` resumes from the machine the first run of its key
// saved at the point; that first run boots the prefix alone, saves, and resumes like the others.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../scenario/model.js';
import type { Verdict } from '../match/verdict.js';
import type { VerdictKey, VerdictListener } from '../match/scenario-monitor.js';
import type { Timeline } from '../timeline/timeline.js';
import { buildQemuCommand, type QemuCommand } from '../qemu/argv.js';
import { runSinks } from '../qemu/channel-sinks.js';
import { guestFiles } from '../scenario/guest-files.js';
import { ARCH_PROFILES } from '../arch/profiles.js';
import { machineArgs, prefixExpectations, shortKey, snapshotKey, snapshotPrefix } from '../snapshot/key.js';
import { fileSha256 } from '../snapshot/file-digest.js';
import { qemuIdentity } from '../snapshot/qemu-identity.js';
import { MANIFEST_FORMAT, type SnapshotManifest } from '../snapshot/manifest.js';
import { saveMachine, type StreamFigures } from '../snapshot/migration.js';
import { snapshotStore, type Lookup, type SnapshotStore } from '../snapshot/store.js';
import { findQemuBinary } from './preflight.js';
import { resolveAccel } from './host-accel.js';
import { SESSION_ENV } from './session.js';
import { snapshotNeeds, type MachineState, type SnapshotUse } from './machine-state.js';
import type { VcpuPosition } from '../debugger/vcpu-survey.js';

interface Options {
  signal?: AbortSignal;
  onVerdict?: VerdictListener;
}

interface Result {
  verdicts: Verdict[];
  finish: { t: number; cause: string };
  timeline: Timeline;
  command?: QemuCommand;
  qemuStderr: string;
  snapshot?: SnapshotUse;
}

type Run<O, R> = (scenario: Scenario, options: O, state?: MachineState) => Promise<R>;

/** Saves in progress in this process, by key: a second scenario of the same key waits for the first. */
const savesHere = new Map<string, Promise<void>>();

export async function runWithSnapshot<O extends Options, R extends Result>(scenario: Scenario, options: O, run: Run<O, R>): Promise<R> {
  const needs = snapshotNeeds(scenario);
  let key: string;
  try {
    key = await keyOf(scenario, needs);
  } catch {
    // A QEMU or guest file missing: the booted run says so in its own words.
    return run(scenario, options);
  }
  const label = shortKey(key);
  const notes: string[] = [];
  const note = (text: string): void => {
    notes.push(text);
    console.warn(`vitest-guest: scenario "${scenario.name}": ${text}`);
  };
  let store: SnapshotStore;
  try {
    store = snapshotStore(process.env[SESSION_ENV]);
  } catch (error) {
    note(`no snapshot is used: ${(error as Error).message}`);
    return withUse(await run(scenario, options), { key, resumed: false, note: notes.join('; ') });
  }
  for (let attempt = 0; attempt < 2 && !options.signal?.aborted; attempt++) {
    const found = await findOrSave(scenario, key, store, needs, run, options.signal, note);
    if (!found) break;
    const resumed = await resume(scenario, options, run, found, label, needs);
    if (resumed.kind === 'ran') {
      return withUse(resumed.result, { key, resumed: true, savingCommand: found.manifest.command, ...(resumed.restoreMs !== undefined ? { restoreMs: resumed.restoreMs } : {}), ...(notes.length ? { note: notes.join('; ') } : {}) });
    }
    note(`snapshot ${label} was refused (${resumed.why}): it is removed and rebuilt by booting`);
    await store.discard(key);
  }
  const booted = await run(scenario, options);
  return withUse(booted, { key, resumed: false, note: notes.length ? notes.join('; ') : 'no snapshot could be saved or used' });
}

function withUse<R extends Result>(result: R, use: SnapshotUse): R {
  return { ...result, snapshot: use };
}

/** A usable snapshot of `key`: found, saved by this run, or by another run this one waited for. */
async function findOrSave<O extends Options, R extends Result>(scenario: Scenario, key: string, store: SnapshotStore, needs: MachineState['needs'], run: Run<O, R>, signal: AbortSignal | undefined, note: (text: string) => void): Promise<Extract<Lookup, { kind: 'found' }> | undefined> {
  const label = shortKey(key);
  await savesHere.get(key);
  const found = await store.lookup(key);
  if (found.kind === 'found') return found;
  if (found.kind === 'stale') {
    note(`snapshot ${label} is stale or corrupt (${found.problem}): it is removed and rebuilt by booting`);
    await store.discard(key);
  }
  if (!(await store.acquire(key))) {
    const waited = await store.waitFor(key, scenario.timeout * 1000, signal);
    if (!waited) note(`snapshot ${label} was being saved by another run that did not finish it: this run boots`);
    return waited;
  }
  const saving = save(scenario, key, store, needs, run, signal).finally(() => store.release(key));
  savesHere.set(key, saving.then(() => undefined, () => undefined));
  try {
    const failure = await saving;
    if (failure) {
      note(`snapshot ${label} could not be saved: ${failure}`);
      return undefined;
    }
  } finally {
    savesHere.delete(key);
  }
  const saved = await store.lookup(key);
  return saved.kind === 'found' ? saved : undefined;
}

/**
 * Boots the prefix alone (its expectations, nothing armed after the point) and saves the machine once
 * the point is met. Returns why it could not, if it could not.
 */
async function save<O extends Options, R extends Result>(scenario: Scenario, key: string, store: SnapshotStore, needs: MachineState['needs'], run: Run<O, R>, signal: AbortSignal | undefined): Promise<string | undefined> {
  const partial = { stream: store.partialPath(key), ram: store.partialRamPath(key) };
  let saved: { figures: StreamFigures; saveMs: number; held?: VcpuPosition } | undefined;
  let saveError: string | undefined;
  const atBreakpoint = scenario.expectations[scenario.snapshot!.index]!.kind === 'breakpoint';
  const state: MachineState = {
    kind: 'save',
    needs,
    ram: partial.ram,
    save: async (qmp, runDir, held) => {
      // Saved past a breakpoint point, every resumed run would start somewhere the scenario never named.
      if (atBreakpoint && !held) {
        saveError = 'the debugger did not hold the guest at the breakpoint';
        return;
      }
      const started = process.hrtime.bigint();
      try {
        const figures = await saveMachine(qmp, join(runDir, 'migrate.sock'), partial.stream);
        saved = { figures, saveMs: Number(process.hrtime.bigint() - started) / 1e6, ...(held ? { held } : {}) };
      } catch (error) {
        saveError = (error as Error).message;
      }
    },
  };
  const prefix = prefixScenario(scenario);
  const result = await run(prefix, { signal } as O, state);
  const removePartial = (): Promise<unknown> => Promise.all([rm(partial.stream, { force: true }), rm(partial.ram, { force: true })]);
  if (!saved) {
    await removePartial();
    const failed = result.verdicts.findIndex((v) => v.status === 'failed');
    return saveError ?? (failed >= 0 ? `expect[${failed}] of the prefix failed: ${(result.verdicts[failed] as Extract<Verdict, { status: 'failed' }>).reason}` : result.finish.cause);
  }
  const ramBytes = await stat(partial.ram).then((info) => info.size, (error: Error) => error);
  if (ramBytes instanceof Error) {
    await removePartial();
    return `its guest RAM file is not there: ${ramBytes.message}`;
  }
  const point = scenario.snapshot!.index;
  const pointVerdict = result.verdicts[point] as Extract<Verdict, { status: 'passed' }>;
  const manifest: SnapshotManifest = {
    format: MANIFEST_FORMAT,
    key,
    inputs: await keyInputs(scenario, needs),
    file: `${key}.snap`,
    bytes: saved.figures.bytes,
    sha256: saved.figures.sha256,
    // The identity is the file's once in place: publish() records it, and the digest once hashed.
    ram: { file: `${key}.ram`, bytes: ramBytes, ino: 0, ctimeMs: 0 },
    savedAt: new Date().toISOString(),
    saveMs: saved.saveMs,
    command: result.command!,
    prefix: {
      pointT: pointVerdict.t,
      met: result.verdicts.flatMap((v, index) => (v.status === 'passed' ? [{ index, t: v.t, detail: v.detail }] : [])),
      events: result.timeline.events.filter((e) => e.t <= pointVerdict.t),
      ...(saved.held ? { stop: { vcpu: saved.held.vcpu, pc: `0x${saved.held.pc.toString(16)}` } } : {}),
    },
  };
  await store.publish(key, partial, manifest);
  // Not waited for: reading the file's holes the first time costs ~1 s (see store.ts).
  store.recordRamDigest(key).catch(() => undefined);
  return undefined;
}

/** The scenario cut at its point: what the saving run boots. Faults, timing and later points wait for the resume. */
export function prefixScenario(scenario: Scenario): Scenario {
  return { ...scenario, expectations: prefixExpectations(scenario), faults: [], timing: [], exit: undefined, end: [], repeat: 1, crash: { kind: 'none', location: scenario.crash.location } };
}

/** Runs the scenario from the saved machine; `refused` when QEMU would not load it, or it was not as saved. */
async function resume<O extends Options, R extends Result>(scenario: Scenario, options: O, run: Run<O, R>, found: Extract<Lookup, { kind: 'found' }>, label: string, needs: MachineState['needs']): Promise<{ kind: 'ran'; result: R; restoreMs?: number } | { kind: 'refused'; why: string }> {
  let loaded = false;
  let restoreMs: number | undefined;
  // Until the stream has loaded and proved intact, a failure is the snapshot's, not the scenario's: held back.
  const held: [VerdictKey, Verdict][] = [];
  const listener = options.onVerdict;
  const onVerdict: VerdictListener | undefined = listener && ((key, verdict) => { if (loaded) listener(key, verdict); else held.push([key, verdict]); });
  const state: MachineState = {
    kind: 'resume',
    needs,
    label,
    file: found.path,
    ram: found.ram,
    expected: { bytes: found.manifest.bytes, sha256: found.manifest.sha256 },
    prefix: found.manifest.prefix,
    loaded: (figures) => {
      loaded = true;
      restoreMs = figures.restoreMs;
      for (const [key, verdict] of held.splice(0)) listener?.(key, verdict);
    },
  };
  const result = await run(scenario, { ...options, ...(onVerdict ? { onVerdict } : {}) }, state);
  if (loaded || options.signal?.aborted) {
    for (const [key, verdict] of held.splice(0)) listener?.(key, verdict);
    return { kind: 'ran', result, ...(restoreMs !== undefined ? { restoreMs } : {}) };
  }
  const stderr = result.qemuStderr.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
  return { kind: 'refused', why: `${result.finish.cause}${stderr ? `; QEMU said: ${stderr}` : ''}` };
}

async function keyOf(scenario: Scenario, needs: MachineState['needs']): Promise<string> {
  return snapshotKey(await keyInputs(scenario, needs));
}

/** Where the key's command keeps guest RAM: every run of a key has it in a file, at a path of its own. */
const KEY_GUEST_RAM = { path: '/snapshot/guest.ram', shared: true };

/** What the key hashes: QEMU's build, the machine's arguments, each guest file's contents, the prefix. */
export async function keyInputs(scenario: Scenario, needs: MachineState['needs']): Promise<SnapshotManifest['inputs']> {
  const [binary, accel] = await Promise.all([findQemuBinary(scenario), resolveAccel(scenario.machine.accel, ARCH_PROFILES[scenario.machine.arch])]);
  // The run folder's own paths are left out of the key (machineArgs): any folder gives the same arguments.
  const command = buildQemuCommand(scenario, { sinks: runSinks('/run', { ...needs, gdb: false }), accel, paused: true, guestRam: KEY_GUEST_RAM });
  const files = await Promise.all(guestFiles(scenario.guest).map(async ({ path }) => ({ path, sha256: await fileSha256(path) })));
  return { qemu: await qemuIdentity(binary), args: machineArgs(command.args), files, prefix: snapshotPrefix(scenario) };
}
