import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { type Clock, sleepLength } from './clock';

/**
 * The clock of an in-process emulator: emulated waits run `timeScale` times faster than the wall
 * clock, while the rest (hotpath's own work, a cold start, a CPU-heavy `fn` step) runs at the
 * wall clock's pace. Each sleep takes 1/`timeScale` of its length in real time and then moves
 * the clock to its end, so a run reads in the models' time: with a plain scaled clock, 40 ms of
 * real work at `timeScale` 100 would read as 4 s, and each timer's real overshoot as 100 times it.
 *
 * Time never goes back: a sleep that wakes after another moved the clock past its end leaves it.
 * Its calendar starts at the real date and follows the clock. A sleep of `NaN` or `Infinity`
 * is taken as 0, as `setTimeout` takes it.
 */
export function createEmulatedClock({ timeScale }: { timeScale: number }): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new InvalidArgumentError({
      argument: 'timeScale',
      expected: 'a positive number',
      value: timeScale,
    });
  }
  const origin = performance.now();
  const epochOrigin = Date.now();
  // Emulated time the sleeps added beyond the real time that passed.
  let ahead = 0;
  const now = () => performance.now() - origin + ahead;
  return {
    now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const length = sleepLength(ms);
        const end = now() + length;
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          const real = performance.now() - origin;
          if (real + ahead < end) ahead = end - real;
          resolve();
        };
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(wake, length / timeScale);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    epochMs: () => epochOrigin + now(),
  };
}
