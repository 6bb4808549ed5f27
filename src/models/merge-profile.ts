import { ModelConfigError } from '../errors';
import { describeValue } from '../errors/invalid-argument-error';
import type { ModelCapabilities, ModelPricing, ModelProfile } from './profile';
import { profileFields, validateProfile } from './validate-profile';

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

/** The fields of a profile an override may set (all but `id`), for unknown-field checks. */
export const profileOverrideFields: readonly string[] = profileFields.filter(
  (field) => field !== 'id',
);

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
  // A part that is no object would spread to nothing and keep the base figures unseen.
  const parts = [
    ['override', override],
    ['pricing', override?.pricing],
    ['capabilities', override?.capabilities],
    ['rateLimits', override?.rateLimits],
  ] as const;
  for (const [part, value] of parts) {
    if (part !== 'override' && value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const id = override?.id ?? base.id;
      throw new ModelConfigError({
        reason: 'invalid-profile',
        model: id,
        message: `Model profile \`${id}\`: expected ${part === 'override' ? 'the override' : `\`${part}\``} to be an object, got \`${describeValue(value)}\` (${typeof value})`,
      });
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
