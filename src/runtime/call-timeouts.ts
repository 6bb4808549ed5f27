import type { LlmStepDefinition } from '../chain';
import type { ModelProfile } from '../models/profile';
import type { Resilience } from './resilience';

/** The time limits of one call, in the clock's milliseconds; undefined for none. */
export interface CallLimits {
  readonly firstTokenMs?: number;
  readonly totalMs?: number;
  /** The longest a call that has started to stream may send nothing. */
  readonly idleMs?: number;
}

/** Shared by every call without limits: no allocation, and no timer, on that path. */
export const noLimits: CallLimits = {};

/** The largest chunk a model streams at once: a diffusion model's block, in tokens. */
const largestChunkTokens = 64;

/**
 * A call's time limits, field by field: the step's `timeout`, else the runtime's `timeouts`,
 * else (unless turned off) limits derived from the model's profile, so that a provider that
 * never answers, or stops mid-stream, cannot hold a step for the transport's own timeout (undici
 * waits 300 s for a body) on every attempt.
 *
 * - first token: 5 times the expected first token (round trip, first-token time, prefill of the
 *   prompt), at least 10 s;
 * - total: the first-token limit plus 3 times the decode of the output cap at the profile's
 *   speed, at least 20 s more; an agent gets that for each of its `maxSteps` model calls;
 * - idle (between chunks): 10 times the decode of the largest chunk a model streams (64 tokens),
 *   at least 10 s: many expected gaps, so a healthy slow model never trips it.
 */
export function callLimits(
  resilience: Resilience,
  definition: LlmStepDefinition,
  profile: ModelProfile,
  inputTokens: number,
): CallLimits {
  const step = definition.timeout;
  const set = resilience.timeouts;
  let firstTokenMs = step?.firstTokenMs ?? set.firstTokenMs;
  let totalMs = step?.totalMs ?? set.totalMs;
  let idleMs = step?.idleMs ?? set.idleMs;
  if (resilience.defaultTimeouts) {
    const firstTokenLimit = defaultFirstTokenMs(profile, inputTokens);
    firstTokenMs ??= firstTokenLimit;
    totalMs ??=
      (firstTokenMs === false ? firstTokenLimit : firstTokenMs) +
      defaultDecodeMs(profile, definition.maxOutputTokens ?? resilience.defaultMaxOutputTokens) *
        (definition.tools === undefined ? 1 : (definition.maxSteps ?? 5));
    idleMs ??= defaultIdleMs(profile);
  }
  const first = firstTokenMs === false ? undefined : firstTokenMs;
  const total = totalMs === false ? undefined : totalMs;
  const idle = idleMs === false ? undefined : idleMs;
  if (first === undefined && total === undefined && idle === undefined) return noLimits;
  return { firstTokenMs: first, totalMs: total, idleMs: idle };
}

function defaultFirstTokenMs(profile: ModelProfile, inputTokens: number): number {
  const prefillMs = (inputTokens / profile.prefillTokensPerSecond) * 1000;
  return Math.max(10_000, 5 * (profile.roundTripMs + profile.timeToFirstTokenMs + prefillMs));
}

function defaultDecodeMs(profile: ModelProfile, outputTokens: number): number {
  return Math.max(20_000, 3 * (outputTokens / profile.outputTokensPerSecond) * 1000);
}

function defaultIdleMs(profile: ModelProfile): number {
  return Math.max(10_000, 10 * (largestChunkTokens / profile.outputTokensPerSecond) * 1000);
}
