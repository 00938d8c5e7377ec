// `snapshot: { at: ID }`: the point of the boot whose machine state later scenarios resume from.
import type { Node } from 'yaml';
import { childNode } from './yaml-nodes.js';
import type { Expectation, SnapshotPoint } from './model.js';
import { positionOf, report, type ValidationContext } from './validate.js';

/**
 * Resolves `at` to the expectation it names: an `id`, or a stage name (the first `code: <stage>`
 * expectation). A send is refused: its input would be in flight in the saved machine. A breakpoint is the
 * hit that meets its count's minimum (the saving run holds the guest there), so a count decided only when
 * the run ends (one with a maximum) is refused, and so is a breakpoint through the guest's own
 * stub, which stops the guest from inside it. A watch is refused: only a breakpoint's stop is held for the
 * save. A never has no id.
 */
export function normalizeSnapshot(ctx: ValidationContext, node: Node | undefined, raw: unknown, expectations: readonly Expectation[], guestStub: boolean): SnapshotPoint | undefined | null {
  if (raw === undefined) return undefined;
  const at = (raw as { at: string }).at;
  const atNode = childNode(node, 'at') ?? node;
  const point = expectations.find((e) => e.id === at) ?? expectations.find((e) => e.kind === 'stage' && e.stage === at);
  if (!point) {
    const ids = expectations.flatMap((e) => (e.id ? [e.id] : []));
    report(ctx, 'unknown-id', atNode, 'snapshot.at', `no expectation has id "${at}", and no code expectation is stage "${at}".`,
      ids.length ? `Known ids: ${ids.join(', ')}.` : 'Give the expectation the snapshot is taken at `id: <name>`.');
    return null;
  }
  if (point.kind === 'watch') {
    report(ctx, 'invalid-value', atNode, 'snapshot.at', `"${at}" is a watch: a snapshot is taken at a breakpoint's hit, not at a watchpoint's stop.`,
      'Put a breakpoint on the function that makes the access and name it, or name an expectation where the guest waits by itself (a prompt).');
    return null;
  }
  if (point.kind === 'breakpoint' && guestStub) {
    report(ctx, 'invalid-value', atNode, 'snapshot.at', `"${at}" is a breakpoint through the guest's own stub (debugger: { stub: guest }), which holds the guest from inside it: the saved machine would be in the middle of its stub.`,
      'Take the snapshot at a prompt or line before the breakpoint, or use QEMU\'s stub for this scenario.');
    return null;
  }
  if (point.kind === 'breakpoint' && point.count.max !== undefined) {
    const { min, max } = point.count;
    report(ctx, 'invalid-value', atNode, 'snapshot.at', `"${at}" is a breakpoint counted to a maximum (${min === max ? `count: ${max}` : `max: ${max}`}): such a count is decided when the run ends, and the snapshot is taken at the hit that meets the minimum.`,
      `Write count: { min: ${Math.max(min, 1)} }: the snapshot is taken at hit ${Math.max(min, 1)}; count later hits with a breakpoint listed after the point.`);
    return null;
  }
  if (point.kind === 'send') {
    report(ctx, 'invalid-value', atNode, 'snapshot.at', `"${at}" is a send: a snapshot is taken where the guest met an expectation (a prompt, a line, a stage).`,
      'Name the expectation the send waits for (the prompt): the snapshot is taken before the input goes in.');
    return null;
  }
  return { at, index: point.index, location: { file: ctx.file, ...positionOf(ctx, atNode) } };
}
