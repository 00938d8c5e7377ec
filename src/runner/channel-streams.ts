// Wires QEMU's channel files to the monitor: text channels as lines, the stage codes as codes.
import type { FileTail } from '../qemu/file-tail.js';
import type { Channel, Stream } from '../scenario/model.js';
import type { ScenarioMonitor } from '../match/scenario-monitor.js';
import { LineSplitter } from '../timeline/line-splitter.js';
import type { RecentLines } from './recent-lines.js';
import type { TerminalScreen } from '../screen/terminal-screen.js';

export interface ChannelSources {
  console: FileTail;
  debugcon: FileTail;
  firmware: FileTail;
  /** Only when the scenario reads the stage codes. */
  codes?: FileTail;
  /** Only when the scenario reads the virtio console. */
  virtio?: FileTail;
}

/**
 * Feeds every byte to the monitor, stamped with `now()` on arrival, and calls `changed` after each
 * chunk; counts each channel's bytes in `received`. A channel in `screens` is also drawn on its screen,
 * whose rows go to the monitor as they change. Resolves once every channel has closed and its last
 * partial line was delivered, and every screen drawn.
 */
export function streamChannels(sources: ChannelSources, monitor: ScenarioMonitor, recent: Record<Channel, RecentLines>, now: () => number, changed: () => void, outputLimits: Record<Stream, number>, received: Record<Stream, number>, screens: Partial<Record<Channel, TerminalScreen>> = {}): Promise<void> {
  const closed: Promise<void>[] = [];
  // Past its limit a channel's bytes are no longer read: the monitor ends the run as a flood, and the
  // lines read before it stay in `recent` (the stage codes on the timeline) for the report. A chunk
  // that crosses the limit (a file read takes up to 64 KiB at once) is delivered up to it first.
  const admit = (channel: Stream, chunk: Buffer, deliverPart: (part: Buffer) => void): void => {
    const room = outputLimits[channel] - received[channel];
    received[channel] += chunk.length;
    if (chunk.length <= room) {
      deliverPart(chunk);
      return;
    }
    if (room > 0) deliverPart(chunk.subarray(0, room));
    sources[channel]?.stop();
    monitor.outputLimit(channel, outputLimits[channel], now());
    changed();
  };
  // What the guest wrote after a failed read is unknown: the run cannot be judged on the rest.
  const readFailed = (channel: Stream, source: FileTail): void => {
    if (!source.failure) return;
    monitor.error(`reading the ${channel} channel's file failed: ${source.failure.message}`, now());
    changed();
  };
  for (const channel of ['console', 'debugcon', 'firmware', 'virtio'] as const) {
    const source = sources[channel];
    if (!source) continue;
    const splitter = new LineSplitter();
    const deliver = (lines: { text: string; t: number }[]): void => {
      for (const line of lines) {
        recent[channel].add(line.text);
        monitor.line(channel, line.text, line.t);
      }
      if (monitor.promptChannels.has(channel)) {
        const partial = splitter.partial();
        if (partial) monitor.partialLine(channel, partial, lines.at(-1)?.t ?? now());
      }
      changed();
    };
    const screen = screens[channel];
    screen?.onChange((rows, t) => { monitor.screen(channel, rows, t); changed(); });
    source.on('data', (chunk: Buffer) => admit(channel, chunk, (part) => {
      const t = now();
      screen?.write(part, t);
      deliver(splitter.push(part, t));
    }));
    closed.push(new Promise((resolve) => source.once('close', () => {
      deliver(splitter.end(now()));
      readFailed(channel, source);
      resolve(screen?.drawn());
    })));
  }
  const codes = sources.codes;
  if (codes) {
    codes.on('data', (chunk: Buffer) => admit('codes', chunk, (part) => {
      const t = now();
      for (const byte of part) monitor.code(byte, t);
      changed();
    }));
    closed.push(new Promise((resolve) => codes.once('close', () => { readFailed('codes', codes); resolve(); })));
  }
  return Promise.all(closed).then(() => undefined);
}
