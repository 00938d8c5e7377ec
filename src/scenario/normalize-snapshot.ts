// `snapshot: { at: ID }`: the point of the boot whose machine state later scenarios resume from.
import type { Node } from 'yaml';
import { childNode } from './yaml-nodes.js';
import type { Expectation, SnapshotPoint } from './model.js';
import { positionOf, report, type ValidationContext } from './validate.js';

/**
 * Resolves `at` to the expectation it names: an `id`, or a stage name (the first `code: <stage>`
 * expectation). A send is refused: its input would be in flight in the saved machine; a breakpoint or a
 * watch too, for now (see below). A never has no id.
 */
export function normalizeSnapshot(ctx: ValidationContext, node: Node | undefined, raw: unknown, expectations: readonly Expectation[]): SnapshotPoint | undefined | null {
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
  if (point.kind === 'breakpoint' || point.kind === 'watch') {
    // The debug session lets the guest go on after each hit (and the TCG plugin never stops it), so the
    // machine would be saved wherever it ran to before QMP stopped it: past the point, its output lost.
    report(ctx, 'invalid-value', atNode, 'snapshot.at', `"${at}" is a ${point.kind}: a snapshot at a debugger stop is not supported yet (the guest goes on after a hit, so it would be saved past the point).`,
      'Name an expectation where the guest waits by itself: its shell prompt, a firmware prompt, a line it prints before it waits for input.');
    return null;
  }
  if (point.kind === 'send') {
    report(ctx, 'invalid-value', atNode, 'snapshot.at', `"${at}" is a send: a snapshot is taken where the guest met an expectation (a prompt, a line, a stage).`,
      'Name the expectation the send waits for (the prompt): the snapshot is taken before the input goes in.');
    return null;
  }
  return { at, index: point.index, location: { file: ctx.file, ...positionOf(ctx, atNode) } };
}
