import type { Clock } from './clock';

/** A scaled wall clock whose scale can be set later, once it is known. */
export interface RescalableClock extends Clock {
  readonly timeScale: number;
  /** From now on, run `timeScale` times faster than the wall clock; `now()` stays continuous. */
  setTimeScale(timeScale: number): void;
}

/**
 * A clock on the wall clock, sped up by a scale that can change: for a remote emulator, whose
 * `--time-scale` is only known once it has answered (`GET /v1/models`).
 */
export function createRescalableClock(timeScale: number): RescalableClock {
  let scale = timeScale;
  let base = 0;
  let realBase = performance.now();
  const epochOrigin = Date.now();
  const now = () => base + (performance.now() - realBase) * scale;
  return {
    get timeScale() {
      return scale;
    },
    setTimeScale(next) {
      base = now();
      realBase = performance.now();
      scale = next;
    },
    now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms / scale);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    epochMs: () => epochOrigin + now(),
  };
}
