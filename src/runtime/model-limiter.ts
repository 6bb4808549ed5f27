import type { Clock } from '../clock';
import { TokenBucket } from './token-bucket';

/** Limits on calls to one model, shared by every run of a runtime. */
export interface ModelLimits {
  /** Calls in flight at once; backs off on 429 and recovers. */
  concurrency?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** How a call that held a slot ended: a 429 halves the model's concurrency. */
export type CallOutcome = 'ok' | 'rate-limited' | 'error';

/** A granted slot. */
export interface Slot {
  /** How long the call waited for its slot and its rate-limit tokens. */
  readonly waitedMs: number;
  release(outcome: CallOutcome): void;
}

const free: Slot = { waitedMs: 0, release: () => {} };

/**
 * Concurrency (adaptive: additive increase, multiplicative decrease on 429), requests per minute
 * and tokens per minute for one model. Waiters are served first come, first served.
 */
export class ModelLimiter {
  private active = 0;
  private limit: number;
  private readonly maxConcurrency: number;
  private readonly waiters: Array<() => void> = [];
  private readonly requests?: TokenBucket;
  private readonly tokens?: TokenBucket;

  constructor(
    limits: ModelLimits,
    private readonly clock: Clock,
  ) {
    this.maxConcurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
    this.limit = this.maxConcurrency;
    if (limits.requestsPerMinute) this.requests = new TokenBucket(limits.requestsPerMinute, clock);
    if (limits.tokensPerMinute) this.tokens = new TokenBucket(limits.tokensPerMinute, clock);
  }

  /** The current concurrency limit (lower than configured after 429s). */
  get concurrency(): number {
    return Math.floor(this.limit);
  }

  /** Waits for a slot and for rate-limit room for a call of about `tokens` tokens. */
  async acquire(tokens: number, signal?: AbortSignal): Promise<Slot> {
    const unlimited = this.limit === Number.POSITIVE_INFINITY && !this.requests && !this.tokens;
    if (unlimited) return free;
    const start = this.clock.now();
    // A queued caller is woken with its slot already counted (handed over by `release`).
    if (this.active < Math.floor(this.limit)) this.active += 1;
    else await this.queue(signal);
    try {
      await this.requests?.take(1, signal);
      await this.tokens?.take(tokens, signal);
    } catch (error) {
      this.release('error');
      throw error;
    }
    let released = false;
    return {
      waitedMs: this.clock.now() - start,
      release: (outcome) => {
        if (released) return;
        released = true;
        this.release(outcome);
      },
    };
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
