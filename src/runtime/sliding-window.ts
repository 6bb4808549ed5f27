/** One grant in a window: what it took, and when. */
export interface WindowEntry {
  readonly at: number;
  amount: number;
}

/** The length of a provider's rate-limit window: "per minute". */
export const minuteMs = 60_000;

/**
 * At most `limit` units (requests or tokens) start in any `windowMs`, as providers count a
 * limit per minute. A log of what started when: an entry leaves the window `windowMs` after it
 * started. Unlike a token bucket that starts full and refills, it never lets twice the limit
 * through in one sliding minute.
 */
export class SlidingWindow {
  private readonly log: WindowEntry[] = [];
  private used = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs = minuteMs,
  ) {}

  /** How long from `now` until `amount` more fits (0: it fits now). */
  waitMs(amount: number, now: number): number {
    this.expire(now);
    const wanted = Math.min(amount, this.limit);
    let excess = this.used + wanted - this.limit;
    if (excess <= 1e-9) return 0;
    for (const entry of this.log) {
      excess -= entry.amount;
      if (excess <= 1e-9) return entry.at + this.windowMs - now;
    }
    return this.windowMs;
  }

  /** Counts `amount` as started at `now` (an amount above the limit counts as the limit). */
  take(amount: number, now: number): WindowEntry {
    const entry = { at: now, amount: Math.min(amount, this.limit) };
    this.log.push(entry);
    this.used += entry.amount;
    return entry;
  }

  /** Replaces an entry's estimate with what the call really used. */
  settle(entry: WindowEntry, actual: number, now: number): void {
    this.expire(now);
    const amount = Math.min(Math.max(0, actual), this.limit);
    if (entry.at + this.windowMs > now) this.used += amount - entry.amount;
    entry.amount = amount;
  }

  private expire(now: number): void {
    let gone = 0;
    while (gone < this.log.length && this.log[gone]!.at + this.windowMs <= now) {
      this.used -= this.log[gone]!.amount;
      gone += 1;
    }
    if (gone > 0) this.log.splice(0, gone);
    if (this.log.length === 0) this.used = 0;
  }
}
