// Where each observed channel of a run goes, in its private folder: guest output to files (never
// refused, so never dropped), QMP and the GDB stub to sockets the runner listens on.
import { join } from 'node:path';
import type { ChannelSink, ObservedChannel } from './argv.js';

/** Which optional channels a run has. */
export interface ChannelNeeds {
  /** The scenario reads the virtio console. */
  virtio: boolean;
  /** The scenario reads the stage codes (codes, stages). */
  codes: boolean;
  /** The scenario sends input to the serial console. */
  consoleInput: boolean;
  /** The scenario debugs (breakpoints, watches, faults). */
  gdb: boolean;
}

export function runSinks(dir: string, needs: ChannelNeeds): Record<ObservedChannel, ChannelSink | null> {
  const file = (name: string): ChannelSink => ({ kind: 'file', path: join(dir, `${name}.out`) });
  return {
    console: needs.consoleInput ? { kind: 'pipe', base: join(dir, 'console') } : file('console'),
    debugcon: file('debugcon'),
    codes: needs.codes ? file('codes') : null,
    firmware: file('firmware'),
    virtio: needs.virtio ? file('virtio') : null,
    qmp: { kind: 'connect', path: join(dir, 'qmp.sock') },
    gdb: needs.gdb ? { kind: 'connect', path: join(dir, 'gdb.sock') } : null,
  };
}

/** The file a sink's output lands in, for the sinks the runner reads as files. */
export function outputFile(sink: ChannelSink): string | undefined {
  if (sink.kind === 'file') return sink.path;
  if (sink.kind === 'pipe') return `${sink.base}.out`;
  return undefined;
}

/** The FIFO a `pipe` sink reads its input from. */
export function inputFifo(sink: ChannelSink): string | undefined {
  return sink.kind === 'pipe' ? `${sink.base}.in` : undefined;
}
