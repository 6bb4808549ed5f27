import { InvalidArgumentError, ModelConfigError } from '../errors';
import { describeValue } from '../errors/invalid-argument-error';
import { nameHint } from '../errors/nearest-name';
import type { OptionKeys } from '../errors/option-checks';
import type {
  ModelArchitecture,
  ModelCapabilities,
  ModelPricing,
  ModelProfile,
  PriceWindow,
} from './profile';
import { checkRateLimits, rateLimitFields } from './rate-limits';

const positive = ['timeToFirstTokenMs', 'outputTokensPerSecond', 'prefillTokensPerSecond'] as const;
const prices = ['inputPerMTok', 'cachedInputPerMTok', 'outputPerMTok'] as const;
const windowKeys: OptionKeys<PriceWindow> = {
  name: true,
  days: true,
  fromHour: true,
  toHour: true,
  prices: true,
  multiplier: true,
};
const windowFields = Object.keys(windowKeys);
// Every field of a profile: a field added to the type is a compile error here until listed.
const profileKeys: OptionKeys<ModelProfile> = {
  id: true,
  name: true,
  provider: true,
  architecture: true,
  pricing: true,
  timeToFirstTokenMs: true,
  outputTokensPerSecond: true,
  claimedOutputTokensPerSecond: true,
  prefillTokensPerSecond: true,
  roundTripMs: true,
  contextWindow: true,
  capabilities: true,
  rateLimits: true,
  source: true,
};

/** The fields a profile has, for unknown-field checks (`outputTokensPerSec` is a typo). */
export const profileFields: readonly string[] = Object.keys(profileKeys);

const pricingKeys: OptionKeys<ModelPricing> = {
  inputPerMTok: true,
  cachedInputPerMTok: true,
  outputPerMTok: true,
  windows: true,
  baseName: true,
};
const capabilityKeys: OptionKeys<ModelCapabilities> = {
  structuredOutput: true,
  tools: true,
  developerRole: true,
};
const architectureKeys: Record<ModelArchitecture, true> = {
  diffusion: true,
  moe: true,
  autoregressive: true,
};

/** Builds the errors of one profile's checks, each naming the profile and the field. */
interface ProfileChecks {
  fail(field: string, expected: string, value: unknown): ModelConfigError;
  /** Throws on a field of `value` (the object at `at`, `''` for the profile) not in `known`. */
  knownFields(at: string, value: object, known: readonly string[]): void;
}

/** Throws a `ModelConfigError` naming the field when a profile lacks a price or a speed. */
export function validateProfile(profile: ModelProfile): void {
  const id = profile?.id;
  const problem = (message: string, cause?: unknown) =>
    new ModelConfigError({
      reason: 'invalid-profile',
      model: id,
      message: `Model profile \`${String(id)}\`: ${message}`,
      cause,
    });
  const checks: ProfileChecks = {
    fail: (field, expected, value) =>
      problem(
        `expected \`${field}\` to be ${expected}, got \`${describeValue(value)}\` (${typeof value})`,
      ),
    knownFields(at, value, known) {
      for (const field of Object.keys(value)) {
        if (!known.includes(field))
          throw problem(`unknown field \`${at && `${at}.`}${field}\`; ${nameHint(field, known)}`);
      }
    },
  };
  if (typeof id !== 'string' || id.length === 0) throw checks.fail('id', 'a non-empty string', id);
  checks.knownFields('', profile, profileFields);
  // No `pricing` at all is named by its first price below.
  if (profile.pricing !== undefined && !isObject(profile.pricing))
    throw checks.fail('pricing', 'an object of prices', profile.pricing);
  for (const field of prices) {
    const value = profile.pricing?.[field];
    if (!isPrice(value)) throw checks.fail(`pricing.${field}`, 'a price from 0 up', value);
  }
  checks.knownFields('pricing', profile.pricing, Object.keys(pricingKeys));
  if (profile.pricing.baseName !== undefined && typeof profile.pricing.baseName !== 'string')
    throw checks.fail('pricing.baseName', 'a string', profile.pricing.baseName);
  checkWindows(profile.pricing.windows, checks);
  if (!Object.hasOwn(architectureKeys, String(profile.architecture)))
    throw checks.fail('architecture', oneOf(Object.keys(architectureKeys)), profile.architecture);
  for (const field of positive) {
    const value = profile[field];
    if (typeof value !== 'number' || !(value > 0))
      throw checks.fail(field, 'a number above 0', value);
  }
  const claimed = profile.claimedOutputTokensPerSecond;
  if (claimed !== undefined && (typeof claimed !== 'number' || !(claimed > 0)))
    throw checks.fail('claimedOutputTokensPerSecond', 'a number above 0', claimed);
  if (typeof profile.roundTripMs !== 'number' || !(profile.roundTripMs >= 0)) {
    throw checks.fail('roundTripMs', 'a number from 0 up', profile.roundTripMs);
  }
  if (typeof profile.contextWindow !== 'number' || !(profile.contextWindow > 0)) {
    throw checks.fail('contextWindow', 'a number of tokens above 0', profile.contextWindow);
  }
  checkCapabilities(profile.capabilities, checks);
  if (profile.rateLimits !== undefined) checkProfileRateLimits(profile.rateLimits, checks, problem);
}

function isPrice(value: unknown): boolean {
  return typeof value === 'number' && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Each window's fields, hours and prices: a typo'd key would otherwise price at base. */
function checkWindows(windows: unknown, checks: ProfileChecks): void {
  if (windows === undefined) return;
  if (!Array.isArray(windows))
    throw checks.fail('pricing.windows', 'a list of price windows', windows);
  for (const [n, window] of windows.entries()) {
    const at = `pricing.windows[${n}]`;
    if (!isObject(window))
      throw checks.fail(at, 'a price window (`{ name, days, fromHour, toHour }`)', window);
    checks.knownFields(at, window, windowFields);
    if (typeof window.name !== 'string') throw checks.fail(`${at}.name`, 'a string', window.name);
    const { days, fromHour, toHour } = window;
    if (!Array.isArray(days) || !days.every((day) => Number.isInteger(day) && day >= 0 && day <= 6))
      throw checks.fail(`${at}.days`, 'a list of weekdays from 0 (Sunday) to 6', days);
    if (typeof toHour !== 'number' || !(toHour > 0 && toHour <= 24))
      throw checks.fail(`${at}.toHour`, 'an hour above 0, at most 24', toHour);
    if (typeof fromHour !== 'number' || !(fromHour >= 0 && fromHour < toHour))
      throw checks.fail(`${at}.fromHour`, `an hour from 0 below \`toHour\` (${toHour})`, fromHour);
    if (window.prices !== undefined) {
      if (!isObject(window.prices))
        throw checks.fail(`${at}.prices`, 'an object of prices', window.prices);
      checks.knownFields(`${at}.prices`, window.prices, prices);
      for (const field of prices) {
        const value = window.prices[field];
        if (value !== undefined && !isPrice(value))
          throw checks.fail(`${at}.prices.${field}`, 'a price from 0 up', value);
      }
    }
    if (window.multiplier !== undefined && !isPrice(window.multiplier))
      throw checks.fail(`${at}.multiplier`, 'a number from 0 up', window.multiplier);
  }
}

/** Each capability a boolean: `tools: 'no'` is truthy and would send tools to the model. */
function checkCapabilities(capabilities: unknown, checks: ProfileChecks): void {
  if (!isObject(capabilities))
    throw checks.fail('capabilities', 'an object of booleans', capabilities);
  checks.knownFields('capabilities', capabilities, Object.keys(capabilityKeys));
  for (const field of Object.keys(capabilityKeys)) {
    if (typeof capabilities[field] !== 'boolean')
      throw checks.fail(`capabilities.${field}`, 'a boolean', capabilities[field]);
  }
}

function oneOf(choices: readonly string[]): string {
  return `one of ${choices.map((choice) => `'${choice}'`).join(', ')}`;
}

/** A profile's `rateLimits` by the rules of `createRuntime({ limits })`, in the profile's words. */
function checkProfileRateLimits(
  limits: unknown,
  checks: ProfileChecks,
  problem: (message: string, cause: unknown) => ModelConfigError,
): void {
  if (isObject(limits)) checks.knownFields('rateLimits', limits, rateLimitFields);
  try {
    checkRateLimits('rateLimits', limits, 'the profile');
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw problem(error.message.replace(/^Expected/, 'expected'), error);
  }
}
