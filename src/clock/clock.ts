import { InvalidArgumentError } from '../errors/invalid-argument-error';

/**
 * Where hotpath reads time and waits. Times are milliseconds in the clock's own timeline: a
 * scaled clock runs emulated time faster than the wall clock, a virtual one runs it instantly.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin, in this clock's timeline. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `onTime` after `ms` of this clock's time unless the function it returns is called
   * first. Optional: the runtime's call timeouts use it when present (a cleared timeout costs
   * less than a cancelled sleep on every call), else `sleep` with an abort signal.
   */
  timer?(ms: number, onTime: () => void): () => void;
  /**
   * The calendar instant of `now()` as Unix milliseconds (UTC), for prices that change by the
   * hour. A clock without it has no calendar: calls are priced at the base prices.
   */
  epochMs?(): number;
}

/**
 * How long a sleep of `ms` lasts: `NaN`, `Infinity` and negative lengths are 0, as `setTimeout`
 * takes them, so that one bad length cannot move a clock's time to `NaN` or `Infinity`.
 */
export function sleepLength(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** The clock's calendar instant (Unix ms), or `undefined` when it has no calendar. */
export function clockEpochMs(clock: Clock): number | undefined {
  return clock.epochMs?.();
}

/**
 * A clock on the wall clock, optionally sped up: with `timeScale` 100 a sleep of 1,000 ms takes
 * 10 ms of real time and `now()` advances 100 ms per real millisecond. Its calendar starts at the
 * real date and runs at the same scale.
 * @default timeScale 1
 */
export function createSystemClock({ timeScale = 1 }: { timeScale?: number } = {}): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new InvalidArgumentError({
      argument: 'timeScale',
      expected: 'a positive number',
      value: timeScale,
    });
  }
  const origin = performance.now();
  const epochOrigin = Date.now();
  const now = () => (performance.now() - origin) * timeScale;
  return {
    now,
    sleep: (ms, signal) => sleepFor(ms / timeScale, signal),
    timer: (ms, onTime) => {
      const timeout = setTimeout(onTime, Math.max(0, ms / timeScale));
      return () => clearTimeout(timeout);
    },
    epochMs: () => epochOrigin + now(),
  };
}

/** The wall clock, unscaled. */
export const systemClock: Clock = createSystemClock();

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
