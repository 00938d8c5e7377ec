// A debugging run's plan: breakpoint, watch and fault targets resolved against the guest's symbols before
// QEMU starts. Its own module, loaded by the runs that debug (the symbols and the plan are ~10 modules).
import type { Scenario } from '../scenario/model.js';
import { buildDebugPlan } from '../debugger/debug-plan.js';
import { needsDebugger } from '../debugger/needs-debugger.js';
import { SymbolTable } from '../symbols/symbol-table.js';
import { targetRules } from '../debugger/target-rules.js';
import { loadSymbols } from '../symbols/load-symbols.js';
import { ARCH_PROFILES } from '../arch/profiles.js';
import type { DebuggerSetup } from './debug-run.js';

/** Which run of a snapshot scenario this is: the saving one, or a resumed one (`stop`: where a breakpoint point holds the saved guest). */
export type SnapshotPart = { kind: 'save' } | { kind: 'resume'; prefix: { stop?: { vcpu: number; pc: string } } };

/**
 * `state`, for a snapshot scenario: its saving run holds the guest at a breakpoint point; a resumed run arms
 * only what is listed after the point (the prefix was met by the saving run) and, when the point is a
 * breakpoint, always debugs: it starts at the breakpoint's pc, checked before the guest runs again.
 */
export async function planDebugging(scenario: Scenario, accel: 'tcg' | 'kvm', state?: SnapshotPart): Promise<DebuggerSetup | undefined> {
  const armed = state?.kind === 'resume' && scenario.snapshot ? { expectations: scenario.expectations.slice(scenario.snapshot.index + 1), faults: scenario.faults } : scenario;
  const stop = state?.kind === 'resume' ? state.prefix.stop : undefined;
  if (!needsDebugger(armed) && !stop) return undefined;
  // A firmware-only guest with no symbol file: the loader let only address targets through.
  const symbolFile = scenario.guest.symbols ?? scenario.guest.kernel;
  const symbols = symbolFile ? await loadSymbols(symbolFile) : new SymbolTable([], { source: 'no symbol file' });
  const point = scenario.snapshot && scenario.expectations[scenario.snapshot.index];
  return {
    plan: {
      ...buildDebugPlan(armed, symbols),
      ...(state?.kind === 'save' && point?.kind === 'breakpoint' ? { holdAt: point.index } : {}),
      ...(stop ? { resumesAt: { vcpu: stop.vcpu, address: BigInt(stop.pc) } } : {}),
    },
    symbols,
    rules: targetRules(accel, ARCH_PROFILES[scenario.machine.arch], scenario.guestStub ? 'guest' : 'qemu'),
  };
}
