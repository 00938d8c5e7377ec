// When a guest's own GDB stub can be talked to: once the kernel says on its console that it waits for one.
import type { FileTail } from '../qemu/file-tail.js';

/**
 * KGDB's line when `kgdbwait` stops the boot for a debugger (kernel/debug/debug_core.c, kgdb_initial_breakpoint:
 * pr_crit under pr_fmt "KGDB: "). Before it no stub reads the port: bytes sent there would sit in the UART.
 */
export const KGDB_WAITING = 'KGDB: Waiting for connection from remote gdb...';

/** Resolves true once the console has printed KGDB_WAITING, false if the run finishes first. */
export function guestStubWaiting(console: FileTail, finished: Promise<void>): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      // Only the tail can still complete the line: the rest of the boot log is not kept.
      seen = (seen + chunk.toString('latin1')).slice(-4 * KGDB_WAITING.length);
      if (!seen.includes(KGDB_WAITING)) return;
      console.off('data', onData);
      resolve(true);
    };
    console.on('data', onData);
    void finished.then(() => {
      console.off('data', onData);
      resolve(false);
    });
  });
}
