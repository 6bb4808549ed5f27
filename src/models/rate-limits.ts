import { assertWholeNumber } from '../errors/invalid-argument-error';
import {
  assertKnownKeys,
  assertNumber,
  assertObject,
  type OptionKeys,
} from '../errors/option-checks';
import type { ModelProfile } from './profile';

const rateLimitKeys: OptionKeys<NonNullable<ModelProfile['rateLimits']>> = {
  concurrency: true,
  requestsPerMinute: true,
  tokensPerMinute: true,
  inputTokensPerMinute: true,
  outputTokensPerMinute: true,
};

/** The fields of a model's rate limits (a profile's `rateLimits`, `createRuntime`'s `limits`). */
export const rateLimitFields: readonly string[] = Object.keys(rateLimitKeys);

/**
 * Checks one model's rate limits, wherever they are given (`createRuntime({ limits })`, a
 * profile's `rateLimits`): known fields only, `concurrency` a whole number from 1 up and the
 * per-minute figures above 0, since a limit of 0 would hold every call forever. Throws an
 * `InvalidArgumentError` naming `at` and the field; `owner` is what unknown fields are of.
 */
export function checkRateLimits(at: string, value: unknown, owner: string): void {
  const limits = assertObject(at, value);
  assertKnownKeys(limits, rateLimitFields, owner, `${at}.`);
  if (limits.concurrency !== undefined) assertWholeNumber(`${at}.concurrency`, limits.concurrency);
  for (const field of rateLimitFields) {
    if (field !== 'concurrency' && limits[field] !== undefined)
      assertNumber(`${at}.${field}`, limits[field], { above: true });
  }
}
