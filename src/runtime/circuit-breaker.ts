/** Options of the per-model circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before it lets one probe through. @default 30000 */
  cooldownMs?: number;
}

/**
 * Stops sending to a model that keeps failing: after `failureThreshold` failures in a row the
 * circuit opens and calls go elsewhere; after `cooldownMs` one probe is let through, and its
 * success closes the circuit again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  /** Whether a call may go to the model now (a half-open circuit admits one probe). */
  allows(now: number): boolean {
    if (this.openedAt === undefined) return true;
    if (now - this.openedAt < this.cooldownMs || this.probing) return false;
    this.probing = true;
    return true;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) return 'closed';
    return this.probing ? 'half-open' : 'open';
  }

  succeed(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  /**
   * The call let through ended without a verdict (aborted, or refused by the budget before it
   * started): a half-open circuit lets the next call probe instead, rather than wait forever.
   */
  release(): void {
    this.probing = false;
  }

  /** How long until an open circuit lets a probe through (0 when it would now). */
  probeInMs(now: number): number {
    return this.openedAt === undefined ? 0 : Math.max(0, this.openedAt + this.cooldownMs - now);
  }

  fail(now: number): void {
    this.failures += 1;
    if (this.probing || this.failures >= this.threshold) this.openedAt = now;
    this.probing = false;
  }
}
