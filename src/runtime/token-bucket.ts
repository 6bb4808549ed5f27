import type { Clock } from '../clock';

/** The shortest wait for a refill, in milliseconds. */
const minWaitMs = 0.001;

/** A bucket of `perMinute` units that refills continuously: requests or tokens per minute. */
export class TokenBucket {
  private level: number;
  private updatedAt: number;
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {
    this.level = perMinute;
    this.updatedAt = clock.now();
    this.ratePerMs = perMinute / 60_000;
  }

  /** The turn of the last caller: callers take from the bucket one after another. */
  private queue: Promise<void> = Promise.resolve();

  /**
   * Waits until `amount` units are there and takes them (an amount above the size waits for a
   * full bucket). Callers are served first come, first served, so only the first one waits on
   * the clock instead of all of them waking for every refill.
   */
  take(amount: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeNow(amount, signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async takeNow(amount: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const wanted = Math.min(amount, this.perMinute);
    for (;;) {
      this.refill();
      // A hair of tolerance: a float refill can land a rounding error short, and a clock that
      // cannot represent a smaller wait would never move.
      if (this.level >= wanted - 1e-9) {
        this.level = Math.max(0, this.level - wanted);
        return;
      }
      await this.clock.sleep(Math.max(minWaitMs, (wanted - this.level) / this.ratePerMs), signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.level = Math.min(this.perMinute, this.level + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }
}
