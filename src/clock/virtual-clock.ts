import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { assertKnownKeys, assertObject, type OptionKeys, toUnixMs } from '../errors/option-checks';
import { type Clock, sleepLength } from './clock';

interface Sleeper {
  readonly wakeAt: number;
  readonly order: number;
  readonly resolve: () => void;
}

/** setImmediate where the runtime has it (Node, Bun): setTimeout(0) waits at least 1 ms. */
const nextMacrotask: (callback: () => void) => void =
  (globalThis as { setImmediate?: (callback: () => void) => void }).setImmediate ??
  ((callback) => setTimeout(callback, 0));

/** Options of {@link createVirtualClock}. */
export interface VirtualClockOptions {
  /** The clock's first `now()`, a finite number. @default 0 */
  start?: number;
  /**
   * The calendar instant of the start, for prices by the hour: a `Date`, an ISO 8601 string or
   * Unix ms. Without it the clock has no calendar and calls are priced at the base prices
   * (DeepSeek's off-peak ones).
   * @default none
   */
  startAt?: Date | string | number;
}

const optionKeys: OptionKeys<VirtualClockOptions> = { start: true, startAt: true };

/**
 * A clock whose time only moves when everything is waiting on it: each sleep is queued, and once
 * the pending promise work has settled (a macrotask later) time jumps to the earliest wake-up.
 * Runs on emulated models finish instantly and with exact, repeatable timings: for tests. A
 * sleep of `NaN` or `Infinity` is taken as 0, as `setTimeout` takes it, so the clock never
 * jumps to a time that is not a number.
 *
 * @example
 * ```ts
 * const clock = createVirtualClock({ startAt: new Date('2026-12-02T02:00:00Z') }); // a Wednesday, at peak
 * ```
 */
export function createVirtualClock(options: VirtualClockOptions = {}): Clock {
  assertKnownKeys(assertObject('options', options), Object.keys(optionKeys), 'createVirtualClock');
  const { start = 0, startAt } = options;
  if (typeof start !== 'number' || !Number.isFinite(start)) {
    throw new InvalidArgumentError({
      argument: 'start',
      expected: 'a finite number',
      value: start,
    });
  }
  let now = start;
  const epochOrigin = startAt === undefined ? undefined : toUnixMs('startAt', startAt);
  let order = 0;
  let scheduled = false;
  const sleepers: Sleeper[] = [];

  const advance = () => {
    scheduled = false;
    sleepers.sort((a, b) => a.wakeAt - b.wakeAt || a.order - b.order);
    const next = sleepers.shift();
    if (next === undefined) return;
    now = Math.max(now, next.wakeAt);
    next.resolve();
    schedule();
  };
  const schedule = () => {
    if (scheduled || sleepers.length === 0) return;
    scheduled = true;
    nextMacrotask(advance);
  };

  const clock: Clock = {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper: Sleeper = {
          wakeAt: now + sleepLength(ms),
          order: order++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const index = sleepers.indexOf(sleeper);
          if (index >= 0) sleepers.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
        schedule();
      });
    },
  };
  if (epochOrigin !== undefined) clock.epochMs = () => epochOrigin + (now - start);
  return clock;
}
