import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { Clock } from '../clock';
import { ModelConfigError } from '../errors';
import { canonicalModelId } from './catalog';
import type { ModelProfile } from './profile';

/** A model the runtime can call, with the profile the scheduler plans with. */
export interface PoolModel {
  readonly id: string;
  readonly profile: ModelProfile;
  readonly model: LanguageModelV4;
}

/** The models a runtime may put steps on. */
export interface ModelPool {
  readonly models: readonly PoolModel[];
  /** One line that says where the models come from. */
  readonly description: string;
  /** The clock the models run on (an emulated pool's scaled or virtual clock). */
  readonly clock?: Clock;
  /**
   * Resolves once the pool can run: a remote emulator's pool asks it for its time scale first,
   * so that its clock reads in the emulator's time. The runtime awaits it before each run.
   */
  ready?(): Promise<void>;
  /**
   * The pool model with this id or a catalog alias of it; throws a `ModelConfigError` naming the
   * known ids otherwise.
   */
  get(id: string): PoolModel;
}

/**
 * Pairs an AI SDK model with the profile the scheduler plans with.
 *
 * @example
 * ```ts
 * defineModel(openai('gpt-5-mini'), { ...models.catalog['gpt-5-mini'], roundTripMs: 40 })
 * ```
 */
export function defineModel(model: LanguageModelV4, profile: ModelProfile): PoolModel {
  validateProfile(profile);
  if (model == null || typeof model.doStream !== 'function') {
    throw new ModelConfigError({
      reason: 'invalid-profile',
      model: profile.id,
      message: `Expected an AI SDK language model for \`${profile.id}\`, got \`${String(model)}\``,
    });
  }
  return { id: profile.id, profile, model };
}

/** A pool of models; ids must be unique and there must be at least one. */
export function createModelPool(
  models: readonly PoolModel[],
  options: { description?: string; clock?: Clock } = {},
): ModelPool {
  if (models.length === 0) {
    throw new ModelConfigError({
      reason: 'empty-pool',
      message: 'A model pool needs at least one model',
    });
  }
  const byId = new Map<string, PoolModel>();
  for (const entry of models) {
    if (byId.has(entry.id)) {
      throw new ModelConfigError({
        reason: 'duplicate-model',
        model: entry.id,
        message: `The model \`${entry.id}\` is in the pool twice`,
      });
    }
    byId.set(entry.id, entry);
  }
  return {
    models,
    description: options.description ?? `models: ${[...byId.keys()].join(', ')}`,
    clock: options.clock,
    get(id) {
      // A catalog alias finds its model (`deepseek-v4-flash` is `deepseek-flash` now), both ways.
      const entry =
        byId.get(id) ??
        byId.get(canonicalModelId(id)) ??
        models.find((model) => canonicalModelId(model.id) === canonicalModelId(id));
      if (entry === undefined) {
        throw new ModelConfigError({
          reason: 'unknown-model',
          model: id,
          message: `Unknown model \`${id}\`; the pool has ${[...byId.keys()].map((known) => `\`${known}\``).join(', ')}`,
        });
      }
      return entry;
    },
  };
}

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
}
