/**
 * Limits on calls to one model, as providers publish them per account: calls in flight, and
 * requests and tokens started in any minute.
 */
export interface ModelLimits {
  /** Calls in flight at once; a 429 halves it (to no less than 1) and successes grow it back. */
  concurrency?: number;
  /** At most this many requests start in any 60 seconds. */
  requestsPerMinute?: number;
  /** Input plus output tokens started in any 60 seconds (for providers with one token limit). */
  tokensPerMinute?: number;
  /** Input tokens started in any 60 seconds. */
  inputTokensPerMinute?: number;
  /**
   * Output tokens started in any 60 seconds: a call counts its `maxOutputTokens` (else the
   * step's expected output) until it ends, then what it really produced.
   */
  outputTokensPerMinute?: number;
}

/** How a call that held a slot ended: a 429 halves the model's concurrency allowance. */
export type CallOutcome = 'ok' | 'rate-limited' | 'error';

/** Tokens a call is expected to use (reserved before it starts) or really used (after). */
export interface CallTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One call asking to start. */
export interface LimitRequest {
  readonly model: string;
  /** The model's limits: its profile's `rateLimits` with the runtime's `limits` on top. */
  readonly limits: ModelLimits;
  readonly tokens: CallTokens;
  readonly signal?: AbortSignal;
}

/** A call's place under the limits, held until it ends. */
export interface LimitLease {
  /** How long the call waited for its slot and its room in the window. */
  readonly waitedMs: number;
  /** Frees the call's slot and replaces its estimate with what it `used`. Safe to call twice. */
  release(outcome: CallOutcome, used?: CallTokens): void;
}

/** A spending limit that several processes share, under one key. */
export interface SharedBudget {
  /**
   * Reserves `amountUsd` if it fits under the limit with everything spent and reserved so far;
   * resolves to `undefined` when it does not fit. A `signal` that aborts ends a wait (for the
   * store, say) by rejecting with its reason.
   */
  reserve(amountUsd: number, signal?: AbortSignal): Promise<BudgetHold | undefined>;
  /** Spent and reserved so far, across every process. */
  read(): Promise<{ spentUsd: number; reservedUsd: number }>;
}

/** A reserved amount, settled with what the call really cost. */
export interface BudgetHold {
  settle(actualUsd: number): Promise<void>;
}

/**
 * Where a runtime's calls wait for their turn under each model's limits. The runtime keeps one
 * in process by default; `createRedisLimits` from `hotpath/redis` makes the same limits hold
 * across every process that uses one Redis.
 */
export interface SharedLimits {
  /** Waits until the call may start, reserves its estimate, and resolves to its lease. */
  acquire(request: LimitRequest): Promise<LimitLease>;
  /** A budget shared under `key` by every process that runs part of one run. */
  budget?(key: string, maxCostUsd: number): SharedBudget;
}
