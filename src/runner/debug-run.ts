// The debugger side of one run: attach to QEMU's GDB stub and run the session; when the run times out with the
// guest still running, stop the guest and say where each vCPU was.
import type { Socket } from 'node:net';
import type { Scenario } from '../scenario/model.js';
import type { ScenarioMonitor } from '../match/scenario-monitor.js';
import type { DebugPlan } from '../debugger/debug-plan.js';
import { runDebugSession } from '../debugger/debug-session.js';
import type { VcpuPosition } from '../debugger/vcpu-survey.js';
import type { TargetRules } from '../debugger/target-rules.js';
import type { SymbolTable } from '../symbols/symbol-table.js';
import { GdbClient } from '../gdb/gdb-client.js';
import { GdbTarget } from '../gdb/gdb-target.js';
import { GuestStubTarget } from '../gdb/guest-stub-target.js';
import { ARCH_PROFILES } from '../arch/profiles.js';
import { RunError } from './run-error.js';
import { delay } from './delay.js';

/** How long a timed-out run waits for the guest to stop and its vCPUs to be read, before QEMU is killed anyway. */
export const LOCATE_MS = 1000;

export interface DebuggerRun {
  /** Settles when the session ends; rejects with a RunError when it fails other than by QEMU ending. */
  ended: Promise<void>;
  /** Stops the guest and names where each vCPU is (`act_spin+0x1`); none once the session is over or after LOCATE_MS. */
  locate(): Promise<{ vcpu: number; where: string }[]>;
  /** Where the session left the guest stopped at the plan's `holdAt`; undefined once it ended otherwise. */
  held: Promise<VcpuPosition | undefined>;
}

export interface DebuggerSetup {
  plan: DebugPlan;
  symbols: SymbolTable;
  rules: TargetRules;
}

/**
 * Starts the session at once; `resuming` is called just before the guest first runs, `observed` after each
 * hit, fault or disarmed point the monitor took in: it may have decided the run, and a guest that prints
 * nothing after it (a firmware looping where it handed over) gives the run no other event to notice that by.
 */
export function startDebugger(socket: Socket, { plan, symbols, rules }: DebuggerSetup, scenario: Scenario, monitor: ScenarioMonitor, resuming: () => void, observed: () => void, now: () => number): DebuggerRun {
  const client = new GdbClient(socket, undefined, scenario.guestStub !== undefined);
  const halt = new AbortController();
  let holding: (at: VcpuPosition) => void = () => undefined;
  const held = new Promise<VcpuPosition | undefined>((resolve) => { holding = resolve; });
  const session = (async () => {
    try {
      const profile = ARCH_PROFILES[scenario.machine.arch];
      const target = scenario.guestStub && profile.guestStub
        ? await GuestStubTarget.attachGuestStub(client, profile.guestStub, profile.calls.pc)
        : await GdbTarget.attach(client);
      return await runDebugSession(target, plan, ARCH_PROFILES[scenario.machine.arch].calls, rules, {
        resuming,
        hit: (hit) => { monitor.hit(hit, now()); observed(); },
        fault: (fault, call) => { monitor.fault(fault.index, fault.function, fault.returns, fault.mode, call, now()); observed(); },
        stillCounts: (index) => monitor.stillCounts(index),
        disarmed: (where) => { monitor.disarmed(where, now()); observed(); },
        held: holding,
      }, halt.signal);
    } catch (error) {
      // QEMU exiting closes the stub mid-session; the exit itself is judged from QEMU's status.
      if (client.closedByStub) return undefined;
      throw new RunError('debugger-failed', `the GDB session failed: ${(error as Error).message}.`, undefined, { cause: error });
    }
  })();
  return {
    held: Promise.race([held, session.then(() => undefined, () => undefined)]),
    ended: session.then(() => undefined),
    async locate() {
      halt.abort();
      const positions = await Promise.race([session.catch(() => undefined), delay(LOCATE_MS).then(() => undefined)]);
      return (positions ?? []).map(({ vcpu, pc }) => ({ vcpu, where: symbols.symbolize(pc) }));
    },
  };
}
