// `exit:`: how the guest must end the run, judged when it does; and a reset under `crash: none`.
import type { CrashExpectation, ExitExpectation } from '../scenario/model.js';
import { debugExitStatus, describeExit, type ExitMeaning } from '../results/exit-status.js';
import type { FinishReason, Verdict } from './verdict.js';

/** What the guest's end means for the scenario: the exit's verdict (when one is expected), and whether it crashed. */
export interface JudgedExit {
  verdict?: Verdict;
  /** Set when the end is a crash: the cause the run ends with. */
  crash?: string;
}

export function judgeExit(exit: ExitExpectation | undefined, crash: CrashExpectation, meaning: ExitMeaning, t: number): JudgedExit {
  // Under crash: none a reset is a fatal fault or an unasked reboot, unless `exit: reset` says it is
  // how this guest ends (a deliberate reset, Linux's panic=-1).
  if (meaning.kind === 'reset' && crash.kind === 'none' && exit?.kind !== 'reset') {
    const cause = `the guest crashed: ${describeExit(meaning)}, and crash is none (write exit: reset where that is how the guest ends)`;
    return { ...(exit ? { verdict: { status: 'failed', t, reason: cause } } : {}), crash: cause };
  }
  if (!exit) return {};
  return { verdict: exitMatches(exit, meaning) ? { status: 'passed', t, detail: describeExit(meaning) } : { status: 'failed', t, reason: `expected ${expectedExitText(exit)}, got ${describeExit(meaning)}` } };
}

/** The expected exit's verdict when the run ended without the guest ending it. */
export function exitNotReached(reason: FinishReason, timeoutS: number, cause: string, t: number): Verdict {
  return { status: 'failed', t, reason: reason === 'timeout' ? `the guest did not exit within ${timeoutS} s` : `not reached: ${cause}` };
}

function exitMatches(exit: ExitExpectation, meaning: ExitMeaning): boolean {
  switch (exit.kind) {
    // The guest must have ended the run: not QEMU failing, not us, not a signal from outside.
    case 'any': return meaning.kind === 'debug-exit' || meaning.kind === 'poweroff' || meaning.kind === 'reset' || meaning.kind === 'status' || meaning.kind === 'end-condition';
    case 'reset': return meaning.kind === 'reset';
    case 'poweroff': return meaning.kind === 'poweroff';
    case 'debug-exit': return meaning.kind === 'debug-exit' && meaning.status === debugExitStatus(exit.value);
    case 'semihosting': return meaning.kind === 'status' && meaning.status === (exit.code & 0xff);
    case 'status': return (meaning.kind === 'debug-exit' && meaning.status === exit.status)
      || (meaning.kind === 'status' && meaning.status === exit.status)
      || ((meaning.kind === 'poweroff' || meaning.kind === 'reset') && exit.status === 0);
  }
}

function expectedExitText(exit: ExitExpectation): string {
  switch (exit.kind) {
    case 'any': return 'the guest to end';
    case 'reset': return 'a guest reset';
    case 'poweroff': return 'a power-off';
    case 'debug-exit': return `debug-exit value ${exit.value} (QEMU status ${debugExitStatus(exit.value)})`;
    case 'semihosting': return `semihosting exit ${exit.code} (QEMU status ${exit.code & 0xff})`;
    case 'status': return `QEMU status ${exit.status}`;
  }
}
