import type { Clock } from '../clock';

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
      if (this.level >= wanted) {
        this.level -= wanted;
        return;
      }
      await this.clock.sleep((wanted - this.level) / this.ratePerMs, signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.level = Math.min(this.perMinute, this.level + (now - this.updatedAt) * this.ratePerMs);
    this.updatedAt = now;
  }
}
