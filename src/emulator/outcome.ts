import type { ModelProfile } from '../models/profile';
import {
  type EmulatedRequest,
  type EmulatedResponse,
  planResponse,
  type ResponseTiming,
} from './engine';
import { defaultCutAfter, defaultRetryAfterSeconds, type EmulatorFault } from './faults';
import { type EmulatedHttpError, openAIError } from './openai-error';

/** Where a cut response stops: after this many chunks, and this long after the last one. */
export interface EmulatedCut {
  readonly afterChunks: number;
  readonly delayMs: number;
}

/**
 * What happens to one request once its fault is applied: an answer (maybe stalled, slowed or
 * cut), an HTTP error, or a connection reset; the last two after `delayMs`.
 */
export type EmulatedOutcome =
  | { readonly type: 'answer'; readonly response: EmulatedResponse; readonly cut?: EmulatedCut }
  | { readonly type: 'http-error'; readonly delayMs: number; readonly error: EmulatedHttpError }
  | { readonly type: 'reset'; readonly delayMs: number };

/**
 * Plans a request's outcome: `planResponse` for the answer, then `fault` on top of it. Both
 * transports play this one plan, so they time, answer and fail alike.
 */
export function planOutcome(
  profile: ModelProfile,
  request: EmulatedRequest,
  seed: number,
  fault?: EmulatorFault,
  timing?: ResponseTiming,
): EmulatedOutcome {
  const response = planResponse(profile, request, seed, timing);
  // Errors and resets come back after the network round trip, as a real server's would.
  const delayMs = profile.roundTripMs;
  switch (fault?.kind) {
    case undefined:
      return { type: 'answer', response };
    case 'rate-limit':
    case 'unavailable':
    case 'server-error':
      return { type: 'http-error', delayMs, error: faultHttpError(fault, profile.id) };
    case 'reset':
      return { type: 'reset', delayMs };
    case 'stall':
      return {
        type: 'answer',
        response: { ...response, firstTokenDelayMs: response.firstTokenDelayMs + fault.ms },
      };
    case 'slow':
      return {
        type: 'answer',
        response: {
          ...response,
          chunks: response.chunks.map((chunk) => ({
            ...chunk,
            delayMs: chunk.delayMs * fault.factor,
          })),
        },
      };
    case 'cut': {
      const count = response.chunks.length;
      // At least one chunk goes out, so the cut always comes mid-stream, after some output.
      const afterChunks = Math.min(
        count,
        Math.max(1, Math.round(count * (fault.after ?? defaultCutAfter))),
      );
      const next = response.chunks[afterChunks];
      return { type: 'answer', response, cut: { afterChunks, delayMs: next?.delayMs ?? 0 } };
    }
  }
}

/** The HTTP error of a `rate-limit`, `unavailable` or `server-error` fault. */
export function faultHttpError(
  fault: Extract<EmulatorFault, { kind: 'rate-limit' | 'unavailable' | 'server-error' }>,
  modelId: string,
): EmulatedHttpError {
  if (fault.kind === 'rate-limit') {
    const seconds = fault.retryAfterSeconds ?? defaultRetryAfterSeconds;
    return openAIError(
      429,
      `Rate limit reached for ${modelId} (emulated). Please try again in ${seconds}s.`,
      { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
      { 'retry-after': String(seconds) },
    );
  }
  if (fault.kind === 'unavailable') {
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined
        ? {}
        : { 'retry-after': String(fault.retryAfterSeconds) };
    return openAIError(
      503,
      `${modelId} is temporarily overloaded (emulated). Please try again later.`,
      { type: 'server_error', code: 'service_unavailable' },
      headers,
    );
  }
  return openAIError(500, `The server had an error processing your request (emulated).`, {
    type: 'server_error',
  });
}
