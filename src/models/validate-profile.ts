import { InvalidArgumentError, ModelConfigError } from '../errors';
import { nameHint } from '../errors/nearest-name';
import type { ModelProfile } from './profile';
import { checkRateLimits, rateLimitFields } from './rate-limits';

const positive = ['timeToFirstTokenMs', 'outputTokensPerSecond', 'prefillTokensPerSecond'] as const;
const prices = ['inputPerMTok', 'cachedInputPerMTok', 'outputPerMTok'] as const;

/** Throws a `ModelConfigError` naming the field when a profile lacks a price or a speed. */
export function validateProfile(profile: ModelProfile): void {
  const id = profile?.id;
  const fail = (field: string, expected: string, value: unknown) =>
    new ModelConfigError({
      reason: 'invalid-profile',
      model: id,
      message: `Model profile \`${String(id)}\`: expected \`${field}\` to be ${expected}, got \`${String(value)}\``,
    });
  if (typeof id !== 'string' || id.length === 0) throw fail('id', 'a non-empty string', id);
  for (const field of prices) {
    const value = profile.pricing?.[field];
    if (typeof value !== 'number' || !(value >= 0))
      throw fail(`pricing.${field}`, 'a price from 0 up', value);
  }
  for (const [n, window] of (profile.pricing.windows ?? []).entries()) {
    const at = `pricing.windows[${n}]`;
    if (typeof window?.name !== 'string') throw fail(`${at}.name`, 'a string', window?.name);
    const days = window.days;
    if (!Array.isArray(days) || !days.every((day) => Number.isInteger(day) && day >= 0 && day <= 6))
      throw fail(`${at}.days`, 'a list of weekdays from 0 (Sunday) to 6', JSON.stringify(days));
    if (!(window.fromHour >= 0 && window.toHour <= 24 && window.fromHour < window.toHour))
      throw fail(
        `${at}.fromHour`,
        `an hour from 0 below \`toHour\` (${window.toHour}), at most 24`,
        window.fromHour,
      );
    if (window.multiplier !== undefined && !(window.multiplier >= 0))
      throw fail(`${at}.multiplier`, 'a number from 0 up', window.multiplier);
  }
  for (const field of positive) {
    const value = profile[field];
    if (typeof value !== 'number' || !(value > 0)) throw fail(field, 'a number above 0', value);
  }
  if (typeof profile.roundTripMs !== 'number' || !(profile.roundTripMs >= 0)) {
    throw fail('roundTripMs', 'a number from 0 up', profile.roundTripMs);
  }
  if (typeof profile.contextWindow !== 'number' || !(profile.contextWindow > 0)) {
    throw fail('contextWindow', 'a number of tokens above 0', profile.contextWindow);
  }
  if (profile.rateLimits !== undefined) checkProfileRateLimits(id, profile.rateLimits);
}

/** A profile's `rateLimits` by the rules of `createRuntime({ limits })`, in the profile's words. */
function checkProfileRateLimits(id: string, limits: unknown): void {
  const problem = (message: string, cause?: unknown) =>
    new ModelConfigError({
      reason: 'invalid-profile',
      model: id,
      message: `Model profile \`${id}\`: ${message}`,
      cause,
    });
  const fields =
    typeof limits === 'object' && !Array.isArray(limits) ? Object.keys(limits ?? {}) : [];
  for (const field of fields) {
    if (!rateLimitFields.includes(field))
      throw problem(`unknown field \`rateLimits.${field}\`; ${nameHint(field, rateLimitFields)}`);
  }
  try {
    checkRateLimits('rateLimits', limits, 'the profile');
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw problem(error.message.replace(/^Expected/, 'expected'), error);
  }
}
