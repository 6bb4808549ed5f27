/** Wall-clock times for one run's spans: see {@link createWallTime}. */
export interface WallTime {
  /** When something that started `offsetMs` into the run (by the runtime's clock) started. */
  start(offsetMs: number): number;
  /** Now: when the exporter hears an end. */
  now(): number;
}

/**
 * Puts a run's spans on the wall clock, the timeline of every other span in the trace (the
 * caller's request, the AI SDK's, those a `fn` starts). A span ends when the exporter hears its
 * end. It starts at the run's start plus the runtime clock's offset, or when the exporter heard
 * its start if that is earlier: with the system clock that is the offset itself, back-dated
 * starts included (a remote map item's); with a clock that runs ahead of the wall (a virtual
 * clock, the emulator's `timeScale`) it is when the start was heard. So no span ends in the
 * future or outside its parent, whatever the clock; the runtime's own figures stay in
 * `hotpath.duration_ms`.
 */
export function createWallTime(now: () => number = Date.now): WallTime {
  const anchor = now();
  let last = anchor;
  // Never before an earlier time: the system clock can be set back.
  const heard = () => {
    last = Math.max(now(), last);
    return last;
  };
  return { start: (offsetMs) => Math.min(anchor + offsetMs, heard()), now: heard };
}
