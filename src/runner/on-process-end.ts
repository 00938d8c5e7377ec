// Runs a synchronous clean-up however this process ends: normal exit, or a terminating signal.

/**
 * `cleanup` gets the signal when one ends the process.
 * `exit` handlers run on process.exit() and a normal end, but not on a signal nobody handles; so the
 * clean-up also listens to the usual terminating signals and, when it is their only listener, re-raises
 * the signal afterwards to keep its default outcome.
 */
export function onProcessEnd(cleanup: (signal?: NodeJS.Signals) => void): void {
  process.on('exit', () => cleanup());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      cleanup(signal);
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}
