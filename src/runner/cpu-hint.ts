// A guest that dies before its first word often ran on a CPU model lacking a feature it uses at once.
import { basename } from 'node:path';
import { ARCH_PROFILES } from '../arch/profiles.js';
import type { RunResult } from './run-scenario.js';

/** The channels only the guest writes; the firmware's log comes before the guest runs at all. */
const GUEST_STREAMS = ['console', 'debugcon', 'codes', 'virtio'] as const;

/**
 * For a run whose guest reset (a fatal fault, under -no-reboot) without a byte on any of its own
 * channels: the CPU model it ran on, and which to try instead. Undefined for any other run.
 */
export function cpuModelHint(run: Pick<RunResult, 'exit' | 'receivedBytes' | 'command'>): string | undefined {
  if (run.exit?.kind !== 'reset' || !run.command) return undefined;
  if (GUEST_STREAMS.some((stream) => run.receivedBytes[stream] > 0)) return undefined;
  const model = argumentOf(run.command.args, '-cpu');
  const profile = Object.values(ARCH_PROFILES).find((p) => p.qemuBinary === basename(run.command!.binary));
  if (model === undefined || !profile) return undefined;
  const fullest = profile.defaultCpu.tcg;
  const kvm = argumentOf(run.command.args, '-accel') === 'kvm';
  const modelName = model.split(',')[0];
  const instead = modelName === fullest || modelName === profile.defaultCpu.kvm
    ? `${modelName} already has every feature ${kvm ? 'the host CPU offers' : 'QEMU\'s TCG emulates; a guest needing more needs KVM (machine: { accel: kvm, cpu: host })'}`
    : `try machine: { cpu: ${fullest} }, or a model closer to the CPU the kernel was built for (\`${run.command.binary} -cpu help\` lists them)`;
  return `The guest reset before writing anything to its console, debug console, stage codes or virtio console, on CPU model ${model} (-cpu ${model}). `
    + `A kernel built for a newer CPU faults at its first instructions on a model that lacks a feature it uses: ${instead}.`;
}

/** An option's value as QEMU takes it: the last one given, as machine.qemu may repeat the option. */
function argumentOf(args: readonly string[], option: string): string | undefined {
  const at = args.lastIndexOf(option);
  return at === -1 ? undefined : args[at + 1];
}
