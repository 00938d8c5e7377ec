// In Vitest's main process: a session dir for all runs, and its QEMU groups killed however Vitest ends.
import { createSessionDir, reapAbandonedSessions, SESSION_ENV } from '../runner/session.js';
import { reapSessionDir } from '../runner/process-registry.js';
import { onProcessEnd } from '../runner/on-process-end.js';

let installed = false;

/**
 * Workers inherit the session dir through the environment and record each QEMU pid in it. Vitest's
 * SIGINT handler exits without waiting for workers, and a killed worker runs no handler of its own:
 * the main process is the one place that always sees the end.
 */
export function installMainProcessReaper(): void {
  if (installed) return;
  installed = true;
  reapAbandonedSessions();
  const session = createSessionDir();
  process.env[SESSION_ENV] = session;
  onProcessEnd((signal) => {
    const stopped = reapSessionDir(session);
    // Vitest prints nothing more when a signal ends it: say what became of the guests.
    if (signal && stopped > 0) process.stderr.write(`vitest-guest: ${signal}: stopped ${stopped} running guest${stopped === 1 ? '' : 's'} (QEMU killed, run folders removed)\n`);
  });
}
