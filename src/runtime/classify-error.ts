import { APICallError } from '@ai-sdk/provider';
import type { RetryReason } from '../tracing/events';

/** What to do about a failed call. */
export type ErrorClass =
  | { readonly retryable: true; readonly reason: RetryReason; readonly retryAfterMs?: number }
  | { readonly retryable: false; readonly reason: 'fatal' | 'validation' | 'aborted' };

/** A call that gave no first token, stalled mid-stream or did not finish in time. */
export class CallTimeoutError extends Error {
  constructor(
    readonly phase: 'first-token' | 'total' | 'idle',
    readonly afterMs: number,
  ) {
    super(
      phase === 'idle'
        ? `stream stalled: no output for ${Math.round(afterMs)} ms`
        : `no ${phase === 'first-token' ? 'first token' : 'answer'} after ${Math.round(afterMs)} ms`,
    );
    this.name = 'CallTimeoutError';
  }
}

/**
 * Sorts a failed call into retryable (rate limit, server error, timeout, a stream that stalled or
 * was cut after it started, a network failure) and not (bad request, auth, schema violation, abort).
 */
export function classifyError(error: unknown, options: { started: boolean }): ErrorClass {
  if (error instanceof CallTimeoutError)
    return { retryable: true, reason: error.phase === 'idle' ? 'stall' : 'timeout' };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    // A stream that broke after a 200 carries that status: it is a cut, not a refusal.
    if (status === undefined || (status >= 200 && status < 300)) {
      if (!error.isRetryable && !isNetworkError(error))
        return { retryable: false, reason: 'fatal' };
      return { retryable: true, reason: options.started ? 'stream-cut' : 'network' };
    }
    if (status === 429) {
      return {
        retryable: true,
        reason: 'rate-limit',
        retryAfterMs: readRetryAfter(error.responseHeaders),
      };
    }
    if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
      return {
        retryable: true,
        reason: 'server-error',
        retryAfterMs: readRetryAfter(error.responseHeaders),
      };
    }
    if (status !== undefined) return { retryable: false, reason: 'fatal' };
    return error.isRetryable
      ? { retryable: true, reason: 'network' }
      : { retryable: false, reason: 'fatal' };
  }
  const name = error instanceof Error ? error.name : '';
  if (name === 'AbortError') return { retryable: false, reason: 'aborted' };
  if (name === 'AI_NoObjectGeneratedError' || name === 'AI_TypeValidationError') {
    return { retryable: false, reason: 'validation' };
  }
  if (isNetworkError(error))
    return { retryable: true, reason: options.started ? 'stream-cut' : 'network' };
  return { retryable: false, reason: 'fatal' };
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in milliseconds. */
export function readRetryAfter(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const lower = Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]),
  );
  const ms = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = lower['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
]);

function isNetworkError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkCodes.has(code)) return true;
    if (current.name === 'TypeError' && /fetch failed|terminated|network/i.test(current.message))
      return true;
    if (/socket hang up|ECONNRESET|terminated/i.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
