import type { Clock } from '../clock';
import type {
  CallOutcome,
  CallTokens,
  LimitLease,
  LimitRequest,
  ModelLimits,
  SharedLimits,
} from './shared-limits';
import { SlidingWindow, type WindowEntry } from './sliding-window';

export type { CallOutcome, ModelLimits } from './shared-limits';

/** The shortest wait for room in a window, in milliseconds. */
const minWaitMs = 0.001;

const free: LimitLease = { waitedMs: 0, release: () => {} };

/** A window and what one call counts in it. */
type Counted = readonly [SlidingWindow, (tokens: CallTokens) => number];

/**
 * Concurrency (adaptive: additive increase, multiplicative decrease on 429), and requests and
 * tokens per sliding minute, for one model in one process. Waiters are served first come,
 * first served: a call takes its slot, then waits until every window has room for it at once.
 */
export class ModelLimiter {
  private active = 0;
  private limit: number;
  private readonly maxConcurrency: number;
  private readonly waiters: Array<() => void> = [];
  private readonly windows: Counted[] = [];
  /** The turn of the last caller waiting for room in the windows. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    limits: ModelLimits,
    private readonly clock: Clock,
  ) {
    this.maxConcurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
    this.limit = this.maxConcurrency;
    const count = (limit: number | undefined, amount: (tokens: CallTokens) => number) => {
      if (limit) this.windows.push([new SlidingWindow(limit), amount]);
    };
    count(limits.requestsPerMinute, () => 1);
    count(limits.tokensPerMinute, (tokens) => tokens.inputTokens + tokens.outputTokens);
    count(limits.inputTokensPerMinute, (tokens) => tokens.inputTokens);
    count(limits.outputTokensPerMinute, (tokens) => tokens.outputTokens);
  }

  /** The current concurrency limit (lower than configured after 429s). */
  get concurrency(): number {
    return Math.floor(this.limit);
  }

  /** Waits for a slot and for room in every window for a call expected to use `tokens`. */
  async acquire(tokens: CallTokens, signal?: AbortSignal): Promise<LimitLease> {
    const unlimited = this.limit === Number.POSITIVE_INFINITY && this.windows.length === 0;
    if (unlimited) return free;
    const start = this.clock.now();
    // A queued caller is woken with its slot already counted (handed over by `release`).
    if (this.active < Math.floor(this.limit)) this.active += 1;
    else await this.queue(signal);
    let entries: WindowEntry[];
    try {
      entries = this.windows.length === 0 ? [] : await this.admit(tokens, signal);
    } catch (error) {
      this.release('error');
      throw error;
    }
    let released = false;
    return {
      waitedMs: this.clock.now() - start,
      release: (outcome, used) => {
        if (released) return;
        released = true;
        if (used !== undefined) {
          const now = this.clock.now();
          this.windows.forEach(([window, amount], index) => {
            window.settle(entries[index]!, amount(used), now);
          });
        }
        this.release(outcome);
      },
    };
  }

  /** Takes room in every window at one instant, after the callers before this one. */
  private admit(tokens: CallTokens, signal?: AbortSignal): Promise<WindowEntry[]> {
    const turn = this.turn.then(async () => {
      for (;;) {
        signal?.throwIfAborted();
        const now = this.clock.now();
        let wait = 0;
        for (const [window, amount] of this.windows) {
          wait = Math.max(wait, window.waitMs(amount(tokens), now));
        }
        if (wait <= 0)
          return this.windows.map(([window, amount]) => window.take(amount(tokens), now));
        await this.clock.sleep(Math.max(minWaitMs, wait), signal);
      }
    });
    this.turn = turn.catch(() => {});
    return turn;
  }

  private queue(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      signal?.throwIfAborted();
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(wake);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(wake);
    });
  }

  private release(outcome: CallOutcome): void {
    this.active -= 1;
    if (this.maxConcurrency !== Number.POSITIVE_INFINITY) {
      if (outcome === 'rate-limited') this.limit = Math.max(1, this.limit / 2);
      else if (outcome === 'ok')
        this.limit = Math.min(this.maxConcurrency, this.limit + 1 / this.limit);
    }
    while (this.waiters.length > 0 && this.active < Math.floor(this.limit)) {
      this.active += 1;
      this.waiters.shift()!();
    }
  }
}

/**
 * The runtime's limits kept in this process: one {@link ModelLimiter} per model, made from the
 * limits of its first call.
 */
export function createLocalLimits(clock: Clock): SharedLimits {
  const limiters = new Map<string, ModelLimiter>();
  return {
    acquire({ model, limits, tokens, signal }: LimitRequest) {
      let limiter = limiters.get(model);
      if (limiter === undefined) {
        limiter = new ModelLimiter(limits, clock);
        limiters.set(model, limiter);
      }
      return limiter.acquire(tokens, signal);
    },
  };
}
