// `debugger: { stub: guest }`: what the guest's own stub can do, checked at the scenario's lines before any run.
import { isSeq, type Node } from 'yaml';
import { childNode } from './yaml-nodes.js';
import type { Expectation, Fault, GuestStubChannel } from './model.js';
import { joinPath } from './issues.js';
import { positionOf, report, type ValidationContext } from './validate.js';
import type { ArchProfile } from '../arch/profiles.js';

/**
 * Undefined for QEMU's stub (the default), null once a problem is reported. Refused with the guest's stub: an
 * architecture whose machine has no second serial port, watches (the client drives the guest's stub with
 * software breakpoints only), `vcpu:` (KGDB reports Linux tasks, not vCPUs) and registers outside the stub's
 * fixed layout (KGDB's x86_64 has no fs_base, control registers or EFER), and skip faults where the stub
 * cannot move the stack pointer.
 */
export function normalizeGuestStub(ctx: ValidationContext, node: Node | undefined, raw: unknown, expectNode: Node | undefined, expectations: readonly Expectation[], faultsNode: Node | undefined, faults: readonly Fault[], profile: ArchProfile): GuestStubChannel | undefined | null {
  const spec = raw as { stub?: string; channel?: 'serial1' } | undefined;
  if (spec?.stub !== 'guest') return undefined;
  const stubNode = childNode(node, 'stub') ?? node;
  const facts = profile.guestStub;
  if (!facts) {
    report(ctx, 'invalid-value', stubNode, 'debugger.stub', `${profile.name}'s machines have no second serial port for a guest's stub to listen on.`,
      `Use QEMU's stub (debugger: { stub: qemu }, the default) on ${profile.name}.`);
    return null;
  }
  const items = isSeq(expectNode) ? expectNode.items : [];
  const known = new Set(facts.registers.map((r) => r.name));
  let fits = true;
  for (const e of expectations) {
    const item = items[e.index];
    const path = joinPath('expect', e.index);
    if (e.kind === 'watch') {
      report(ctx, 'invalid-value', childNode(item, 'watch') ?? item, joinPath(path, 'watch'), 'the guest\'s stub (debugger: { stub: guest }) is driven with software breakpoints only: it has no watchpoints here.',
        'Watch through QEMU\'s stub: a scenario without debugger: { stub: guest }.');
      fits = false;
    }
    if (e.kind !== 'breakpoint') continue;
    if (e.vcpu !== undefined) {
      report(ctx, 'invalid-value', childNode(item, 'vcpu') ?? item, joinPath(path, 'vcpu'), 'the guest\'s stub reports the kernel\'s tasks, not vCPUs: a hit cannot be told by vCPU.',
        'Drop vcpu:, or count per vCPU through QEMU\'s stub.');
      fits = false;
    }
    for (const check of e.registers.filter((r) => !known.has(r.register))) {
      report(ctx, 'invalid-value', childNode(item, 'registers') ?? item, joinPath(path, 'registers'), `the guest's stub on ${profile.name} has no register ${check.register}.`,
        `Its registers: ${[...known].join(', ')}.`);
      fits = false;
    }
  }
  const faultItems = isSeq(faultsNode) ? faultsNode.items : [];
  for (const [i, fault] of faults.entries()) {
    if (fault.mode !== 'skip' || facts.writesStackPointer) continue;
    report(ctx, 'invalid-value', childNode(faultItems[i], 'mode') ?? faultItems[i], joinPath(joinPath('faults', i), 'mode'),
      `the guest's stub on ${profile.name} ignores writes to ${profile.calls.stackPointer}, so a function cannot be returned from at its entry (mode: skip, the default).`,
      'Use mode: override: the function runs and its return value is replaced.');
    fits = false;
  }
  return fits ? { channel: spec.channel ?? 'serial1', location: { file: ctx.file, ...positionOf(ctx, node) } } : null;
}
