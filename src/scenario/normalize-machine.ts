// machine: with its architecture's defaults, and what a scenario asks of an architecture that it does not have
// (a machine type, a channel, an exit device), refused at the YAML line that asks.
import type { Node } from 'yaml';
import { ARCH_PROFILES, type Arch, type ArchProfile } from '../arch/profiles.js';
import { DEFAULT_MACHINE, type Channel, type EndCondition, type ExitExpectation, type Expectation, type Machine, type SourceLocation } from './model.js';
import { childNode } from './yaml-nodes.js';
import { report, type ValidationContext } from './validate.js';

type Plain = Record<string, unknown>;

export function normalizeMachine(ctx: ValidationContext, node: Node | undefined, raw: Plain): Machine | undefined {
  const arch = (raw.arch as Arch | undefined) ?? DEFAULT_MACHINE.arch;
  const profile = ARCH_PROFILES[arch];
  const type = (raw.type as string | undefined) ?? profile.defaults.type;
  let ok = true;
  if (!profile.machineTypes.includes(type)) {
    ok = false;
    report(ctx, 'invalid-value', childNode(node, 'type') ?? node, 'machine.type', `"${type}" is not a machine type of ${arch}.`,
      `${arch} machines: ${profile.machineTypes.join(', ')} (the default is ${profile.defaults.type}).`);
  }
  const debugExitRaw = raw['debug-exit'];
  let debugExit: Machine['debugExit'] = null;
  if (profile.statusExit.kind === 'isa-debug-exit') {
    const { iobase, iosize } = profile.statusExit;
    debugExit = debugExitRaw === false ? null
      : debugExitRaw === true || debugExitRaw === undefined ? { iobase, iosize }
      : { iobase: (debugExitRaw as Plain).iobase as number, iosize: ((debugExitRaw as Plain).iosize as number | undefined) ?? 1 };
  } else if (debugExitRaw !== undefined && debugExitRaw !== false) {
    ok = false;
    report(ctx, 'invalid-value', childNode(node, 'debug-exit') ?? node, 'machine.debug-exit', `isa-debug-exit is an I/O-port device, which ${arch} machines do not have.`,
      `Remove it: on ${arch} the guest exits with a status through ${profile.statusExit.how} (exit: { ${profile.statusExit.scenarioKey}: N }).`);
  }
  if (!ok) return undefined;
  return {
    arch,
    type,
    cpus: (raw.cpus as number | undefined) ?? DEFAULT_MACHINE.cpus,
    memory: raw.memory === undefined ? profile.defaults.memory : typeof raw.memory === 'number' ? `${raw.memory}M` : (raw.memory as string),
    accel: (raw.accel as Machine['accel'] | undefined) ?? DEFAULT_MACHINE.accel,
    ...(typeof raw.cpu === 'string' ? { cpu: raw.cpu } : {}),
    debugExit,
    extraArgs: (raw.qemu as string[] | undefined) ?? [],
  };
}

/** An exit the architecture has no mechanism for: `debug-exit` without isa-debug-exit, `semihosting` without semihosting. */
export function checkExitFits(ctx: ValidationContext, node: Node | undefined, exit: ExitExpectation | undefined, profile: ArchProfile): boolean {
  if (!exit || (exit.kind !== 'debug-exit' && exit.kind !== 'semihosting')) return true;
  const fits = exit.kind === 'debug-exit' ? profile.statusExit.kind === 'isa-debug-exit' : profile.semihosting;
  if (fits) return true;
  const { statusExit } = profile;
  report(ctx, 'invalid-value', childNode(node, exit.kind) ?? node, `exit.${exit.kind}`, `${profile.name} has no ${exit.kind === 'debug-exit' ? 'isa-debug-exit device' : 'semihosting'}.`,
    statusExit.kind === 'isa-debug-exit' ? `On ${profile.name} the guest exits with a status through isa-debug-exit: exit: { debug-exit: V } (QEMU status 2V+1).`
      : `On ${profile.name} the guest exits with a status through ${statusExit.how}: exit: { ${statusExit.scenarioKey}: N }.`);
  return false;
}

/** Expectations and end conditions on a channel the architecture does not have (no firmware port on aarch64). */
export function checkChannelsFit(ctx: ValidationContext, expectations: readonly Expectation[], end: readonly EndCondition[], profile: ArchProfile): boolean {
  const before = ctx.issues.length;
  const refuse = (channel: Channel, path: string, location: SourceLocation): void => {
    ctx.issues.push({
      code: 'invalid-value', file: ctx.file, line: location.line, col: location.col, path,
      message: `${profile.name} machines have no ${channel} channel.`,
      hint: `Read what the guest prints there on the console instead (${profile.linuxConsole} under Linux); channels of ${profile.name}: ${attachedChannels(profile).join(', ')}.`,
    });
  };
  for (const e of expectations) {
    if ('channel' in e && e.channel !== 'codes' && !attached(profile, e.channel)) refuse(e.channel, `expect[${e.index}]`, e.location);
  }
  end.forEach((e, i) => { if ((e.kind === 'line' || e.kind === 'screen') && !attached(profile, e.channel)) refuse(e.channel, `end[${i}]`, e.location); });
  return ctx.issues.length === before;
}

function attached(profile: ArchProfile, channel: Channel): boolean {
  return profile.channels[channel] !== null;
}

function attachedChannels(profile: ArchProfile): Channel[] {
  return (['console', 'debugcon', 'firmware', 'virtio'] as const).filter((c) => attached(profile, c));
}
