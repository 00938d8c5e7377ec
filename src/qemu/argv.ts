// Scenario -> QEMU argv, as a pure function: the exact command can be printed and pasted to reproduce a run.
import type { Scenario } from '../scenario/model.js';
import { ARCH_PROFILES } from '../arch/profiles.js';
import { pointsArgument } from '../instrumentation/point-counts.js';
import { marksArgument, type PluginMark } from '../instrumentation/plugin-marks.js';

/** The observed channels; each gets a chardev named `vg-<name>`. */
export const OBSERVED_CHANNELS = ['console', 'debugcon', 'codes', 'firmware', 'virtio', 'qmp', 'gdb'] as const;
export type ObservedChannel = (typeof OBSERVED_CHANNELS)[number];

/**
 * Where a channel goes. `file`: QEMU writes it to a regular file, which never refuses a byte (the runner
 * reads it as it grows). `pipe`: the same file as `<base>.out`, with input read from the FIFO
 * `<base>.in` (an interactive console). `connect`: QEMU connects to a UNIX socket the runner already
 * listens on (QMP, the GDB stub). `stdio` serves runs by hand.
 */
export type ChannelSink = { kind: 'connect'; path: string } | { kind: 'file'; path: string } | { kind: 'pipe'; base: string } | { kind: 'stdio' };

export interface ArgvOptions {
  /** A missing or null sink leaves the channel out (the GDB stub only when the scenario debugs, the virtio console only when it is read). */
  sinks: Partial<Record<ObservedChannel, ChannelSink | null>>;
  /** Resolved accelerator: `auto` must have been decided by the caller. */
  accel: 'tcg' | 'kvm';
  /** Start with the CPUs stopped (-S) so debuggers can attach before the first instruction. */
  paused: boolean;
  /** A UNIX socket QEMU listens on for a saved machine's state (-incoming), instead of booting. */
  incoming?: string;
  /**
   * A snapshot run's guest RAM in a file (docs/snapshots.md): `shared` maps it MAP_SHARED, so the saving
   * run's guest writes land in the file and its stream carries device state only; not shared maps it
   * copy-on-write, so a resumed guest starts from the saved memory and never writes the file.
   */
  guestRam?: { path: string; shared: boolean };
  /** The TCG plugin (plugin/README.md): code points it counts, the counts it reports at once, blocks, its socket. */
  plugin?: { library: string; socket: string; points: readonly bigint[]; marks?: readonly PluginMark[]; blocks: boolean };
}

export interface QemuCommand {
  binary: string;
  args: string[];
}

export function buildQemuCommand(scenario: Scenario, options: ArgvOptions): QemuCommand {
  const { machine, guest } = scenario;
  const profile = ARCH_PROFILES[machine.arch];
  const args: string[] = [
    '-M', machine.type,
    '-accel', options.accel,
    '-cpu', machine.cpu ?? profile.defaultCpu[options.accel],
    '-smp', String(machine.cpus),
    '-m', machine.memory,
    '-nodefaults', '-no-user-config', '-display', 'none',
    // A guest reset ends the run instead of rebooting forever.
    '-no-reboot',
  ];
  if (options.paused) args.push('-S');
  if (options.incoming) args.push('-incoming', `unix:${options.incoming}`);
  if (options.guestRam) {
    const { path, shared } = options.guestRam;
    args.push('-object', `memory-backend-file,id=vg-ram,size=${machine.memory},mem-path=${optionValue(path)},share=${shared ? 'on' : 'off'}`, '-machine', 'memory-backend=vg-ram');
  }
  const chardev = (name: ObservedChannel): string | null => {
    const sink = options.sinks[name];
    if (!sink) return null;
    const id = `vg-${name}`;
    if (sink.kind === 'connect') args.push('-chardev', `socket,id=${id},path=${optionValue(sink.path)}`);
    else if (sink.kind === 'file') args.push('-chardev', `file,id=${id},path=${optionValue(sink.path)}`);
    else if (sink.kind === 'pipe') args.push('-chardev', `pipe,id=${id},path=${optionValue(sink.base)}`);
    else args.push('-chardev', `stdio,id=${id}`);
    return id;
  };
  const { channels } = profile;
  const console = chardev('console');
  if (console) args.push('-serial', `chardev:${console}`);
  let semihostingConsole: string | null = null;
  for (const channel of ['debugcon', 'codes', 'firmware'] as const) {
    const attachment = channels[channel];
    const id = attachment ? chardev(channel) : null;
    if (!attachment || !id) continue;
    if (attachment.kind === 'device') args.push('-device', `${attachment.device},chardev=${id}`);
    else if (attachment.kind === 'semihosting') semihostingConsole = id;
    else args.push('-serial', `chardev:${id}`);
  }
  // target=native: with target=gdb QEMU would send the console calls to an attached debugger as F packets.
  if (profile.semihosting) args.push('-semihosting-config', `enable=on,target=native${semihostingConsole ? `,chardev=${semihostingConsole}` : ''}`);
  const virtio = channels.virtio ? chardev('virtio') : null;
  if (virtio && channels.virtio) {
    args.push('-device', channels.virtio[machine.type] ?? channels.virtio.default, '-device', `virtconsole,chardev=${virtio}`);
  }
  const qmp = chardev('qmp');
  if (qmp) args.push('-mon', `chardev=${qmp},mode=control`);
  const gdb = chardev('gdb');
  // The guest's own stub listens on the second serial port (the console's is the first): the same socket.
  if (gdb) args.push(scenario.guestStub ? '-serial' : '-gdb', `chardev:${gdb}`);
  if (options.plugin) {
    const { library, socket, points, marks = [], blocks } = options.plugin;
    args.push('-plugin', [optionValue(library), `sock=${optionValue(socket)}`, ...(points.length > 0 ? [`points=${pointsArgument(points)}`] : []), ...(marks.length > 0 ? [`marks=${marksArgument(marks)}`] : []), ...(blocks ? ['blocks=on'] : [])].join(','));
  }
  if (machine.debugExit) {
    args.push('-device', `isa-debug-exit,iobase=${hex(machine.debugExit.iobase)},iosize=${hex(machine.debugExit.iosize)}`);
  }
  if (guest.firmware?.kind === 'bios') args.push('-bios', guest.firmware.path);
  if (guest.firmware?.kind === 'pflash') {
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${optionValue(guest.firmware.code)}`);
    // The firmware writes its variables (edk2 for aarch64 formats an empty store at its first boot, and stops
    // at a Synchronous Exception on a read-only one): snapshot=on gives it a writable overlay in a temporary
    // file QEMU unlinks as soon as it has opened it, so the file named is a template no run changes, and no
    // run leaves anything, even one killed.
    if (guest.firmware.vars) args.push('-drive', `if=pflash,format=raw,unit=1,snapshot=on,file=${optionValue(guest.firmware.vars)}`);
  }
  if (guest.kernel) args.push('-kernel', guest.kernel);
  if (guest.initrd) args.push('-initrd', guest.initrd);
  if (guest.cmdline !== undefined) args.push('-append', guest.cmdline);
  args.push(...machine.extraArgs);
  return { binary: profile.qemuBinary, args };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Quotes argv for a POSIX shell, for printing only: runs never go through a shell. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** QEMU option values use commas as separators; a literal comma is written twice. */
function optionValue(value: string): string {
  return value.replace(/,/g, ',,');
}
