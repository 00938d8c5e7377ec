// Drives the guest through the GDB stub: arms points at -S, then handles each stop until the run ends or halts it.
import type { ArchProfile } from '../arch/profiles.js';
import type { Fault } from '../scenario/model.js';
import type { DebuggerHit } from '../match/scenario-monitor.js';
import type { GdbTarget, PointType } from '../gdb/gdb-target.js';
import type { StopReply, ThreadId } from '../gdb/rsp-codec.js';
import { faultSelector } from './fault-selector.js';
import type { CodePoint, DebugPlan, WatchPoint } from './debug-plan.js';
import { StopRegisters } from './stop-registers.js';
import { StepEmulator } from './step-emulation.js';
import type { TargetRules } from './target-rules.js';
import { locateVcpus, vcpuOf, type VcpuPosition } from './vcpu-survey.js';
import { codePointNeeded, type StillCounts } from './point-retirement.js';
import { VcpuTurns } from './vcpu-turns.js';
import { GdbError } from '../gdb/gdb-client.js';

/** The signal QEMU's stub reports a breakpoint's stop with. */
const SIGTRAP = 5;

export interface SessionEvents {
  /** The guest is about to run for the first time. */
  resuming(): void;
  hit(hit: DebuggerHit): void;
  fault(fault: Fault, call: number): void;
  stillCounts: StillCounts;
  /** A point was taken out of the guest (see point-retirement.ts): `where` it was. */
  disarmed(where: string): void;
  /** The hit that decided the plan's `holdAt`: the guest stays stopped there, and the session ends. */
  held(at: VcpuPosition): void;
}

interface PendingReturn {
  address: bigint;
  /** The stack pointer a return to the same frame leaves (entry sp + return address size). */
  spAfterReturn: bigint;
  fault: Fault;
  call: number;
}

const WATCH_TYPES = { write: 2, read: 3, access: 4 } as const;

/** A resume that did not happen, or whose stop belongs to the halt: the guest is stopped for good. */
type Resumed = StopReply | 'halted';
type Resume = (go: () => Promise<StopReply>) => Promise<Resumed>;

/**
 * Arms the plan and resumes the guest. Returns when the guest stops for good (the stub closes: undefined), or
 * once `halt` aborts: then the guest is stopped (0x03 if it was running) and the pc of every vCPU returned.
 */
export async function runDebugSession(target: GdbTarget, plan: DebugPlan, calls: ArchProfile['calls'], rules: TargetRules, events: SessionEvents, halt: AbortSignal): Promise<VcpuPosition[] | undefined> {
  const interrupt = (): void => { target.interrupt(); };
  halt.addEventListener('abort', interrupt, { once: true });
  try {
    // Checked before each resume, since 0x03 only stops a guest that runs; a stop after the halt is the halt's.
    const resume: Resume = async (go) => {
      if (halt.aborted) return 'halted';
      const stop = await go();
      return halt.aborted && stop.kind === 'signal' ? 'halted' : stop;
    };
    if (await handleStops(target, plan, calls, rules, events, resume) !== 'halted') return undefined;
    return await locateVcpus(target, rules, calls.pc);
  } finally {
    halt.removeEventListener('abort', interrupt);
  }
}

async function handleStops(target: GdbTarget, plan: DebugPlan, calls: ArchProfile['calls'], rules: TargetRules, events: SessionEvents, resume: Resume): Promise<'halted' | 'ended'> {
  const { codePoint } = rules;
  // The points still in the guest: each leaves once none of its further hits can change anything.
  const armed = new Set(plan.code.keys());
  const armedWatches = new Set(plan.watches);
  for (const address of armed) await target.insertPoint(codePoint, address, 1);
  for (const watch of armedWatches) await target.insertPoint(WATCH_TYPES[watch.expectation.access], watch.address, watch.size);
  const selectors = new Map<Fault, { select: (call: number) => boolean; calls: number }>();
  const returns: PendingReturn[] = [];
  // An emulated instruction's memory write would bypass a watchpoint on it: with watches, every hit steps.
  const emulator = rules.emulation && plan.watches.length === 0 ? new StepEmulator(target, calls.pc, rules.emulation, plan.writable) : undefined;
  const staysAt = (next: bigint): boolean => armed.has(next) || returns.some((r) => r.address === next);
  const { returnAddress } = calls;
  const alsoRead = [...plan.code.values()].some((point) => point.faults.length > 0) ? [calls.stackPointer, ...(returnAddress.kind === 'register' ? [returnAddress.name] : [])] : [];
  const threads = plan.watches.length > 0 && rules.vcpuTurns && target.vContSteps ? await target.threads() : [];
  const turns = threads.length > 1 ? new VcpuTurns(threads, () => target.interrupt(), (thread) => target.selectStopThread(thread)) : undefined;
  // Every vCPU runs again once no watchpoint is left in (see vcpu-turns.ts).
  const proceed = (go: (thread?: ThreadId) => Promise<StopReply>): Promise<StopReply> => (turns && armedWatches.size > 0 ? turns.resume(go) : go());
  const carryOn = (): Promise<StopReply> => proceed((thread) => target.continue(thread));
  events.resuming();
  // A guest resumed at a snapshot's breakpoint is stopped on it (checked): the hit was the saving run's, what
  // is armed there (a fault, a breakpoint listed after the point) is handled as at a stop, and the guest steps off.
  const start = plan.resumesAt ? await stoppedAt(target, rules, calls.pc, plan.resumesAt) : undefined;
  const startsAtPoint = start && armed.has(plan.resumesAt!.address);
  let hitBySavingRun = startsAtPoint ? plan.resumesAt!.address : undefined;
  let stop = startsAtPoint ? start : await resume(carryOn);
  for (;;) {
    if (stop === 'halted') return stop;
    if (stop.kind !== 'signal') return 'ended';
    const turnEnd = turns?.endedTurn(stop);
    if (turnEnd) {
      // Nothing happened in the guest: the next vCPU's turn, or the dropped stop brought back.
      stop = await (turnEnd.exceptionDropped ? surfaceDroppedStop(target, rules, resume, calls.pc, turns!) : resume(carryOn));
      continue;
    }
    // QEMU makes the stopped vCPU current for register access and stepping: no Hg needed.
    const vcpu = vcpuOf(stop.thread);
    const watched = stop.watch?.address;
    if (watched !== undefined) {
      const here = [...armedWatches].filter((watch) => watch.address === watched);
      for (const watch of here) events.hit({ expectations: [watch.expectation.index], where: watch.where, vcpu });
      for (const watch of here.filter((w) => !events.stillCounts(w.expectation.index))) {
        await target.removePoint(WATCH_TYPES[watch.expectation.access], watch.address, watch.size);
        armedWatches.delete(watch);
        events.disarmed(watch.where);
      }
      if (rules.watchStopsBeforeAccess && armedWatches.size > 0) {
        const stepped = await stepPastAccess(target, rules, resume, calls.pc, [...armedWatches], stop.thread);
        stop = stepped.stop;
        if (stepped.pc === undefined || staysAt(stepped.pc)) continue;
      }
      stop = await resume(carryOn);
      continue;
    }
    const regs = new StopRegisters(target, rules);
    // A fault's entry and its return both need the stack pointer (and the entry a link register): read with the
    // pc, in the same batch.
    const pc = emulator ? await emulator.readPc(regs, alsoRead) : (await regs.read(calls.pc, ...alsoRead))[0]!;
    await finishReturns(target, regs, calls, returns, pc, armed, codePoint, events);
    const point = armed.has(pc) ? plan.code.get(pc) : undefined;
    const hitsCount = pc !== hitBySavingRun;
    hitBySavingRun = undefined;
    let earlyReturn: Record<string, bigint> | undefined;
    if (point) {
      for (const { expectation, memory } of hitsCount ? point.expectations : []) {
        // A hit on another vCPU than the expectation's own is on the timeline, but neither counted nor checked;
        // nor is a hit of an expectation already decided.
        const counts = (expectation.vcpu === undefined || expectation.vcpu === vcpu) && events.stillCounts(expectation.index);
        events.hit({ expectations: [expectation.index], where: point.where, vcpu, checkFailure: counts ? await checkAt(target, regs, expectation.registers, memory) : undefined });
      }
      if (plan.holdAt !== undefined && point.expectations.some(({ expectation }) => expectation.index === plan.holdAt) && !events.stillCounts(plan.holdAt)) {
        events.held({ vcpu, pc });
        return 'ended';
      }
      earlyReturn = await injectFaults(target, regs, calls, point, armed, selectors, returns, codePoint, events);
      if (!codePointNeeded(point, events.stillCounts, (fault) => selectors.get(fault)?.calls ?? 0)) {
        armed.delete(point.address);
        // A pending return at the same address keeps the breakpoint in; finishReturns takes it out after.
        if (!returns.some((r) => r.address === point.address)) await target.removePoint(codePoint, point.address, 1);
        emulator?.forget(point.address);
        events.disarmed(point.where);
      }
    }
    if (earlyReturn) {
      stop = await resume(() => proceed((thread) => regs.writeAndContinue(earlyReturn, thread)));
      continue;
    }
    // With no breakpoint left at pc (none there, or just taken out), a continue runs its instruction.
    if (!staysAt(pc)) {
      stop = await resume(carryOn);
      continue;
    }
    // Leaving an inserted breakpoint executes its instruction; a plain continue would hit it again. One the
    // emulator knows is applied by the client (one stop per hit); any other is single-stepped.
    const left = emulator && await emulator.leave(pc, regs, resume, staysAt);
    if (left) {
      // At another point the guest stays stopped: the loop handles that point as the same stop.
      if ('resumed' in left) stop = left.resumed;
      continue;
    }
    const stepped = await stepOff(target, rules, resume, calls.pc, pc, stop.thread);
    stop = stepped.stop;
    const next = stepped.pc;
    if (next !== undefined && !staysAt(next)) stop = await resume(carryOn);
  }
}

/**
 * The stop a guest resumed at a snapshot's breakpoint is in: its vCPU made current (the stub makes the first
 * one current on attach), and its pc checked to be the point's.
 */
async function stoppedAt(target: GdbTarget, rules: TargetRules, pcRegister: string, at: { vcpu: number; address: bigint }): Promise<StopReply> {
  const thread = (await target.threads()).find((t) => vcpuOf(t) === at.vcpu);
  if (!thread) throw new GdbError(`the resumed machine has no vCPU ${at.vcpu}, where the snapshot's breakpoint was hit`);
  await target.selectThread(thread);
  const pc = await new StopRegisters(target, rules).readOne(pcRegister);
  if (pc !== at.address) throw new GdbError(`the resumed machine's vCPU ${at.vcpu} is at 0x${pc.toString(16)}, not at the snapshot's breakpoint 0x${at.address.toString(16)}`);
  return { kind: 'signal', signal: SIGTRAP, thread };
}

const PROBE_TURNS = 10;

/**
 * After a turn's interrupt that dropped the vCPU's debug exception (see vcpu-turns.ts): the vCPU is left at
 * its breakpoint, or with its watchpoint hit pending (x86: after the write; ARM, RISC-V: before the access).
 * Resumed onto a breakpoint at its own pc, it stops before running an instruction, and QEMU reports that
 * stop, with the pending watchpoint if there is one: the stop the loop then handles. (An interrupt it takes
 * first runs its handler before.) The pause left another vCPU selected: this one is selected to read its pc.
 */
async function surfaceDroppedStop(target: GdbTarget, rules: TargetRules, resume: Resume, pcRegister: string, turns: VcpuTurns): Promise<Resumed> {
  await target.selectThread(turns.thread);
  const pc = await new StopRegisters(target, rules).readOne(pcRegister);
  await target.insertPoint(rules.codePoint, pc, 1);
  let stop: Resumed;
  // A turn's interrupt that comes before the vCPU reached its pc (a loaded host, an interrupt handler run
  // first) would leave the dropped stop unreported: it gets more turns, a few.
  for (let turn = 1; ; turn++) {
    stop = await resume(() => turns.again((thread) => target.continue(thread)));
    if (stop === 'halted' || stop.kind !== 'signal' || turn === PROBE_TURNS) break;
    const ended = turns.endedTurn(stop);
    if (!ended || ended.exceptionDropped) break;
  }
  if (stop === 'halted' || stop.kind === 'signal') await target.removePoint(rules.codePoint, pc, 1);
  return stop;
}

const STEP_ATTEMPTS = 3;

/**
 * Single-steps `thread` (the vCPU that stopped) off the breakpoint at `from`; with vCont the other vCPUs stay
 * stopped. Under load QEMU 7.2 sometimes reports a step that did not execute (pc unchanged: a second hit
 * counted on the next continue, seen once in ~25,000 steps), so the pc is checked after each step as gdb
 * does; an instruction that jumps to itself stays put after a few attempts.
 */
async function stepOff(target: GdbTarget, rules: TargetRules, resume: Resume, pcRegister: string, from: bigint, thread: ThreadId | undefined): Promise<{ stop: Resumed; pc?: bigint }> {
  for (let attempt = 1; ; attempt++) {
    const stop = await resume(() => target.step(thread));
    // A watchpoint stop is handled as such; the loop reads nothing more for it.
    if (stop === 'halted' || stop.kind !== 'signal' || stop.watch !== undefined) return { stop };
    // Without vCont every vCPU ran during the step: another one's stop is a stop of its own, for the loop.
    if (stop.thread && thread && (stop.thread.tid !== thread.tid || stop.thread.pid !== thread.pid)) return { stop };
    const pc = await new StopRegisters(target, rules).readOne(pcRegister);
    if (pc !== from || attempt === STEP_ATTEMPTS) return { stop, pc };
  }
}

/**
 * Runs the access a watchpoint stopped before (see ArchProfile.watchpointStop): a continue would run into the
 * same watchpoint again, so the instruction is stepped with every watchpoint out (one instruction may touch
 * two watched places) and they go back in after.
 */
async function stepPastAccess(target: GdbTarget, rules: TargetRules, resume: Resume, pcRegister: string, watches: readonly WatchPoint[], thread: ThreadId | undefined): Promise<{ stop: Resumed; pc?: bigint }> {
  const pc = await new StopRegisters(target, rules).readOne(pcRegister);
  for (const watch of watches) await target.removePoint(WATCH_TYPES[watch.expectation.access], watch.address, watch.size);
  const stepped = await stepOff(target, rules, resume, pcRegister, pc, thread);
  for (const watch of watches) await target.insertPoint(WATCH_TYPES[watch.expectation.access], watch.address, watch.size);
  return stepped;
}

/** Register and memory checks of a breakpoint expectation; the first one that does not hold, described. */
async function checkAt(target: GdbTarget, regs: StopRegisters, registers: { register: string; equals: string }[], memory: CodePoint['expectations'][number]['memory']): Promise<string | undefined> {
  const values = registers.length > 0 ? await regs.read(...registers.map((check) => check.register)) : [];
  for (const [i, check] of registers.entries()) {
    const bits = target.register(check.register).bitsize;
    const expected = BigInt.asUintN(bits, BigInt(check.equals));
    const actual = values[i]!;
    if (actual !== expected) return `register ${check.register} is 0x${actual.toString(16)}, expected ${check.equals} (0x${expected.toString(16)})`;
  }
  for (const check of memory) {
    const expected = BigInt.asUintN(check.size * 8, check.equals);
    const actual = await target.readUnsigned(check.address, check.size);
    if (actual !== expected) return `memory at ${check.at} (${check.size} bytes) is 0x${actual.toString(16)}, expected 0x${expected.toString(16)}`;
  }
  return undefined;
}

/**
 * Applies the faults of a function entry. A skip-mode fault returns at once without running the body:
 * the registers of that return are given back, for the caller to write with the resume.
 */
async function injectFaults(target: GdbTarget, regs: StopRegisters, calls: ArchProfile['calls'], point: CodePoint, armed: ReadonlySet<bigint>, selectors: Map<Fault, { select: (call: number) => boolean; calls: number }>, returns: PendingReturn[], codePoint: PointType, events: SessionEvents): Promise<Record<string, bigint> | undefined> {
  for (const fault of point.faults) {
    let selector = selectors.get(fault);
    if (!selector) selectors.set(fault, (selector = { select: faultSelector(fault.hits), calls: 0 }));
    const call = ++selector.calls;
    if (!selector.select(call)) continue;
    const sp = await regs.readOne(calls.stackPointer);
    const returnAddress = calls.returnAddress.kind === 'register' ? await regs.readOne(calls.returnAddress.name) : await target.readUnsigned(sp, calls.returnAddress.bytes);
    const slot = calls.returnAddress.kind === 'stack' ? BigInt(calls.returnAddress.bytes) : 0n;
    if (fault.mode === 'skip') {
      events.fault(fault, call);
      // Return at once without running the body: the value, the caller's pc, the caller's stack.
      return { [calls.returnValue]: BigInt(fault.returns), [calls.pc]: returnAddress, ...(slot > 0n ? { [calls.stackPointer]: sp + slot } : {}) };
    }
    if (!returns.some((r) => r.address === returnAddress) && !armed.has(returnAddress)) {
      await target.insertPoint(codePoint, returnAddress, 1);
    }
    returns.push({ address: returnAddress, spAfterReturn: sp + slot, fault, call });
  }
  return undefined;
}

/**
 * At a pending return address: replaces the return value when the stop is the same frame returning, and
 * takes the breakpoint out once no return and no armed code point needs it.
 */
async function finishReturns(target: GdbTarget, regs: StopRegisters, calls: ArchProfile['calls'], returns: PendingReturn[], pc: bigint, armed: ReadonlySet<bigint>, codePoint: PointType, events: SessionEvents): Promise<void> {
  const here = returns.filter((r) => r.address === pc);
  if (here.length === 0) return;
  const sp = await regs.readOne(calls.stackPointer);
  // A recursive call returning through the same address leaves a different stack pointer: not ours yet.
  const mine = here.find((r) => r.spAfterReturn === sp);
  if (mine) {
    await regs.write({ [calls.returnValue]: BigInt(mine.fault.returns) });
    returns.splice(returns.indexOf(mine), 1);
    events.fault(mine.fault, mine.call);
    if (!returns.some((r) => r.address === pc) && !armed.has(pc)) await target.removePoint(codePoint, pc, 1);
  }
}
