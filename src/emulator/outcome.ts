import type { ModelProfile } from '../models/profile';
import {
  type EmulatedRequest,
  type EmulatedResponse,
  planResponse,
  type ResponseTiming,
} from './engine';
import {
  defaultCutAfter,
  defaultErrorFrameStatus,
  defaultRetryAfterSeconds,
  type EmulatorFault,
} from './faults';
import { type EmulatedHttpError, openAIError } from './openai-error';

/** Where a cut response stops: after this many chunks, and this long after the last one. */
export interface EmulatedCut {
  readonly afterChunks: number;
  readonly delayMs: number;
  /** What breaks the stream there; the connection closes without one (a `cut`). */
  readonly frame?: EmulatedBreakFrame;
}

/** The last thing a broken stream sends: an error frame (`data: {"error": ...}`) or a chunk that is not JSON. */
export type EmulatedBreakFrame =
  | { readonly type: 'error-frame'; readonly error: EmulatedHttpError }
  | { readonly type: 'bad-chunk' };

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
      return { type: 'answer', response: stalled(response, fault.ms, fault.afterChunks ?? 0) };
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
    case 'cut':
      return { type: 'answer', response, cut: cutAt(response, fault.after) };
    // Without a stream there is no frame: a non-streaming answer fails where the stream would
    // have, with the frame's status (an error frame) or as a cut (a chunk that is not JSON).
    case 'error-frame': {
      const error = errorFrame(fault.status ?? defaultErrorFrameStatus, profile.id);
      const frame = { type: 'error-frame', error } as const;
      return { type: 'answer', response, cut: { ...cutAt(response, fault.after), frame } };
    }
    case 'bad-chunk':
      return {
        type: 'answer',
        response,
        cut: { ...cutAt(response, fault.after), frame: { type: 'bad-chunk' } },
      };
  }
}

/** The response with a pause of `ms` before chunk `afterChunks` (0: before the first token). */
function stalled(response: EmulatedResponse, ms: number, afterChunks: number): EmulatedResponse {
  // A pause after the last chunk would be a slow finish, not a stall: it goes before the last.
  const at = Math.min(afterChunks, response.chunks.length - 1);
  if (at <= 0) return { ...response, firstTokenDelayMs: response.firstTokenDelayMs + ms };
  const chunks = response.chunks.map((chunk, index) =>
    index === at ? { ...chunk, delayMs: chunk.delayMs + ms } : chunk,
  );
  return { ...response, chunks };
}

/** Where a share `after` of the output has gone out; at least one chunk, so always mid-stream. */
function cutAt(response: EmulatedResponse, after = defaultCutAfter): EmulatedCut {
  const count = response.chunks.length;
  const afterChunks = Math.min(count, Math.max(1, Math.round(count * after)));
  const next = response.chunks[afterChunks];
  return { afterChunks, delayMs: next?.delayMs ?? 0 };
}

/**
 * The error of an `error-frame` fault, its status as the `code`: `@ai-sdk/openai` reads a
 * three-digit code as the status, which a type alone (`server_error`) cannot say for a 503.
 */
function errorFrame(status: number, modelId: string): EmulatedHttpError {
  const type =
    status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return openAIError(status, `${modelId} failed mid-stream (emulated ${status}).`, {
    type,
    code: String(status),
  });
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
