// The `end: [{quiet: S}]` condition: a guest that printed nothing for S seconds is done (halted for good).
import type { Scenario } from '../scenario/model.js';

/** Calls `quietFor` S seconds after the last `rearm()` (each output chunk, and the resume); inert without the condition. */
export function quietWatch(scenario: Scenario, quietFor: () => void): { seconds: number; rearm(): void; stop(): void } {
  const seconds = Math.min(...scenario.end.flatMap((e) => (e.kind === 'quiet' ? [e.seconds] : [])));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    seconds,
    rearm() {
      if (!Number.isFinite(seconds) || stopped) return;
      clearTimeout(timer);
      timer = setTimeout(quietFor, seconds * 1000);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
