/** How hotpath retries a failed call on the same model. */
export interface RetryOptions {
  /** Calls per model, the first included. @default 3 */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time. @default 250 */
  baseDelayMs?: number;
  /** Longest delay between attempts. @default 8000 */
  maxDelayMs?: number;
}

export const defaultRetry: Required<RetryOptions> = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
};

/**
 * The delay before attempt `attempt + 1`: exponential with "equal jitter" (half fixed, half
 * random, so retries of many calls spread out but never come back at once), or the server's
 * `Retry-After` when it gave one.
 */
export function backoffDelay(
  retry: Required<RetryOptions>,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return exponential / 2 + (random() * exponential) / 2;
}
