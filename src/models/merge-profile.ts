import { ModelConfigError } from '../errors';
import type { OptionKeys } from '../errors/option-checks';
import type { ModelCapabilities, ModelPricing, ModelProfile } from './profile';
import { validateProfile } from './validate-profile';

/**
 * Figures to change in a profile: any top-level field, and any part of `pricing`,
 * `capabilities` or `rateLimits` (the rest of each is kept).
 */
export type ProfileOverride = Partial<
  Omit<ModelProfile, 'pricing' | 'capabilities' | 'rateLimits'>
> & {
  readonly pricing?: Partial<ModelPricing>;
  readonly capabilities?: Partial<ModelCapabilities>;
  readonly rateLimits?: ModelProfile['rateLimits'];
};

const nested = {
  pricing: ['inputPerMTok', 'cachedInputPerMTok', 'outputPerMTok', 'windows', 'baseName'],
  capabilities: ['structuredOutput', 'tools', 'developerRole'],
} as const;

// Every field an override may set: a field added to the profile is a type error here until listed.
const overrideFields: OptionKeys<Omit<ProfileOverride, 'id'>> = {
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

/** The fields of a profile an override may set (all but `id`), for unknown-field checks. */
export const profileOverrideFields: readonly string[] = Object.keys(overrideFields);

/**
 * `base` with the figures of `override`, validated: prices change, and measured speeds should
 * replace the catalog's. Throws a `ModelConfigError` naming the field when a figure is bad.
 *
 * @example
 * ```ts
 * const mercury = mergeProfile(mercury2, { pricing: { outputPerMTok: 0.7 } });
 * ```
 */
export function mergeProfile(base: ModelProfile, override: ProfileOverride = {}): ModelProfile {
  for (const [group, known] of Object.entries(nested)) {
    const given = override[group as keyof typeof nested];
    for (const field of Object.keys(given ?? {})) {
      if (!(known as readonly string[]).includes(field)) {
        throw new ModelConfigError({
          reason: 'invalid-profile',
          model: override.id ?? base.id,
          message: `Model profile \`${override.id ?? base.id}\`: unknown field \`${group}.${field}\`; expected one of ${known.map((name) => `\`${name}\``).join(', ')}`,
        });
      }
    }
  }
  const merged: ModelProfile = {
    ...base,
    ...override,
    pricing: { ...base.pricing, ...override.pricing },
    capabilities: { ...base.capabilities, ...override.capabilities },
    ...((base.rateLimits || override.rateLimits) && {
      rateLimits: { ...base.rateLimits, ...override.rateLimits },
    }),
  };
  validateProfile(merged);
  return merged;
}
