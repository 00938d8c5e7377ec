// The TCG plugin's side of one run: which points it counts, its socket, and its batches turned into
// monitor hits (one per point, vCPU and batch) and block counts.
import type { Socket } from 'node:net';
import type { ScenarioMonitor } from '../match/scenario-monitor.js';
import type { DebugPlan } from '../debugger/debug-plan.js';
import { needsStub, splitForPlugin, type CountedPoint } from '../debugger/plugin-split.js';
import { probePlugin } from '../plugin/plugin-probe.js';
import { PluginLink } from '../plugin/plugin-link.js';
import { PointCounts } from '../instrumentation/point-counts.js';
import { BlockCounts } from '../instrumentation/block-counts.js';
import type { PluginBatch } from '../instrumentation/plugin-records.js';
import { delay } from './delay.js';

/** What the plugin is loaded with in a run. */
export interface PluginSetup {
  library: string;
  counted: CountedPoint[];
  blocks: boolean;
}

/** How a run's instrumentation is divided: the plugin's part, the stub's, and why the plugin is not used. */
export interface InstrumentationPlan {
  plugin: PluginSetup | undefined;
  /** The plan left for the GDB stub; undefined when it has nothing to do. */
  stub: DebugPlan | undefined;
  /** One line: why breakpoints that could be counted go through the stub. */
  fallback?: string;
}

/** Fallback lines already printed in this process: one per reason. */
const printed = new Set<string>();

/**
 * Gives the plugin what it can count (and the blocks, when asked), if `binary` loads it; otherwise the
 * stub keeps the whole plan and the reason is printed once on stderr.
 */
export async function planInstrumentation(binary: string, plan: DebugPlan | undefined, blocks: boolean, warn: (line: string) => void = (line) => console.warn(line)): Promise<InstrumentationPlan> {
  const split = plan ? splitForPlugin(plan) : undefined;
  if (!blocks && (split?.counted.length ?? 0) === 0) return { plugin: undefined, stub: plan };
  const probe = await probePlugin(binary);
  if (!probe.usable) {
    const fallback = `vitest-guest: ${probe.why}; breakpoints are counted through the GDB stub${blocks ? ', and blocks are not counted' : ''}.`;
    if (!probe.chosen && !printed.has(fallback)) {
      printed.add(fallback);
      warn(fallback);
    }
    return { plugin: undefined, stub: plan, fallback };
  }
  return { plugin: { library: probe.library, counted: split?.counted ?? [], blocks }, stub: split && needsStub(split.stub) ? split.stub : undefined };
}

export interface PluginRun {
  /** Every execution before the call counted and handed to the monitor; gives up after `withinMs`. */
  flush(withinMs: number): Promise<void>;
  /** True once the socket closed (QEMU ended, its exit batch read); false if `withinMs` passed first. */
  ended(withinMs: number): Promise<boolean>;
  /** With blocks on: every block translated so far and its executions. */
  blocks: BlockCounts | undefined;
  /**
   * `listener` is called after each batch the monitor took in and after the stream broke: either may have
   * decided the run, and a guest silent after its last counted point gives the run no other news.
   */
  onObserved(listener: () => void): void;
}

export interface PluginRunEvents {
  /** A plugin batch's CLOCK_MONOTONIC ns as the run's ms (the clock of every other event). */
  timeOf(ns: bigint): number;
  /** After each batch with blocks on, at the run's ms of the batch. */
  onBlocks?: (counts: BlockCounts, t: number, batch: PluginBatch) => void;
  /** The stream was not the plugin's: the run cannot be judged. */
  failed(message: string, t: number): void;
}

export function startPlugin(socket: Socket, setup: PluginSetup, monitor: ScenarioMonitor, events: PluginRunEvents): PluginRun {
  const points = new PointCounts(setup.counted.map((p) => p.address));
  const byAddress = new Map(setup.counted.map((p) => [p.address, p]));
  const blocks = setup.blocks ? new BlockCounts() : undefined;
  const apply = (batch: PluginBatch): void => {
    const t = events.timeOf(batch.timeNs);
    for (const { address, vcpu, count } of points.apply(batch)) {
      const { expectations, where } = byAddress.get(address)!;
      // As through the stub, a hit on another vCPU than an expectation's `vcpu:` is on the timeline, not counted.
      monitor.hit({ expectations, where, vcpu, count }, t);
    }
    monitor.countedUpTo(t);
    if (blocks) {
      blocks.apply(batch);
      events.onBlocks?.(blocks, t, batch);
    }
  };
  monitor.countedUpTo(Number.NEGATIVE_INFINITY);
  let observed = (): void => undefined;
  const link = new PluginLink(socket, (batch) => {
    try {
      apply(batch);
    } catch (error) {
      socket.destroy();
      events.failed(`the TCG plugin's stream broke: ${(error as Error).message}`, events.timeOf(batch.timeNs));
    }
    observed();
  }, (error) => {
    events.failed(`the TCG plugin's stream broke: ${error.message}`, events.timeOf(process.hrtime.bigint()));
    observed();
  });
  void link.ended.then(() => monitor.countedUpTo(Number.POSITIVE_INFINITY));
  return {
    flush: (withinMs) => Promise.race([link.flush(), delay(withinMs)]),
    ended: (withinMs) => Promise.race([link.ended.then(() => true), delay(withinMs).then(() => false)]),
    blocks,
    onObserved: (listener) => { observed = listener; },
  };
}
