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

export async function planDebugging(scenario: Scenario, accel: 'tcg' | 'kvm'): Promise<DebuggerSetup | undefined> {
  if (!needsDebugger(scenario)) return undefined;
  // A firmware-only guest with no symbol file: the loader let only address targets through.
  const symbolFile = scenario.guest.symbols ?? scenario.guest.kernel;
  const symbols = symbolFile ? await loadSymbols(symbolFile) : new SymbolTable([], { source: 'no symbol file' });
  return { plan: buildDebugPlan(scenario, symbols), symbols, rules: targetRules(accel, ARCH_PROFILES[scenario.machine.arch], scenario.guestStub ? 'guest' : 'qemu') };
}
