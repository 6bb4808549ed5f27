import type { LlmStepDefinition } from '../chain';
import type { ModelProfile } from '../models/profile';
import type { Resilience } from './resilience';

/** The time limits of one call, in the clock's milliseconds; undefined for none. */
export interface CallLimits {
  readonly firstTokenMs?: number;
  readonly totalMs?: number;
}

/** Shared by every call without limits: no allocation on that path. */
const none: CallLimits = {};

/**
 * A call's time limits: the step's `timeout`, else the runtime's `timeouts`, else (unless turned
 * off) limits derived from the model's profile, so that a provider that never answers cannot
 * hold a step for the transport's own timeout (undici waits 300 s for a body) on every attempt.
 *
 * - first token: 5 times the expected first token (round trip, first-token time, prefill of the
 *   prompt), at least 10 s;
 * - total: the first-token limit plus 3 times the decode of the output cap at the profile's
 *   speed, at least 20 s more; an agent gets that for each of its `maxSteps` model calls.
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
  if (resilience.defaultTimeouts) {
    const firstTokenLimit = defaultFirstTokenMs(profile, inputTokens);
    firstTokenMs ??= firstTokenLimit;
    totalMs ??=
      (firstTokenMs === false ? firstTokenLimit : firstTokenMs) +
      defaultDecodeMs(profile, definition.maxOutputTokens ?? resilience.defaultMaxOutputTokens) *
        (definition.tools === undefined ? 1 : (definition.maxSteps ?? 5));
  }
  if (firstTokenMs === undefined || firstTokenMs === false) {
    if (totalMs === undefined || totalMs === false) return none;
    return { totalMs };
  }
  return { firstTokenMs, totalMs: totalMs === false ? undefined : totalMs };
}

function defaultFirstTokenMs(profile: ModelProfile, inputTokens: number): number {
  const prefillMs = (inputTokens / profile.prefillTokensPerSecond) * 1000;
  return Math.max(10_000, 5 * (profile.roundTripMs + profile.timeToFirstTokenMs + prefillMs));
}

function defaultDecodeMs(profile: ModelProfile, outputTokens: number): number {
  return Math.max(20_000, 3 * (outputTokens / profile.outputTokensPerSecond) * 1000);
}
