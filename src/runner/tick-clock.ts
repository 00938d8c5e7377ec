// One timestamp per event-loop turn, so data that became readable together is stamped together.

/**
 * Wraps a clock so every call during one turn of the event loop returns the same reading. Socket
 * handlers of one poll phase then share a stamp even if the process is descheduled between them (on
 * a loaded 2-core runner a stage code was stamped over 10 ms before the console line the guest
 * wrote first, because the two handlers ran a scheduler slice apart). The reading is taken at the
 * first call of a turn and dropped in the check phase that follows (setImmediate).
 */
export function tickClock<T>(read: () => T): () => T {
  let reading: T | undefined;
  return () => {
    if (reading === undefined) {
      reading = read();
      setImmediate(() => {
        reading = undefined;
      });
    }
    return reading;
  };
}
