import type { LanguageModelV4 } from '@ai-sdk/provider';
import type { Clock } from '../clock';
import { ModelConfigError } from '../errors';
import { canonicalModelId } from './catalog';
import { mergeProfile } from './merge-profile';
import type { ModelPricing, ModelProfile } from './profile';
import { validateProfile } from './validate-profile';

/**
 * A model the runtime can call, with the profile the scheduler plans with. Entries with the same
 * `id` and different `endpoint`s are one model at several places.
 */
export interface PoolModel {
  readonly id: string;
  readonly profile: ModelProfile;
  readonly model: LanguageModelV4;
  /**
   * Where this entry serves its model (a region, a gateway, a marketplace): `eu-west`. Absent for
   * a model at one place, which plans and traces show as before.
   */
  readonly endpoint?: string;
  /** The endpoint's region, for residency (`regions`): `eu-west` is in `eu` and in `eu-west`. */
  readonly region?: string;
}

/** Where a pool entry serves its model, and what differs there. */
export interface EndpointOptions {
  /** The place's name, unique per model in a pool (`eu-west`, `bedrock`). */
  endpoint?: string;
  /** Its region, for residency: `regions: ['eu']` allows `eu` and `eu-*`. */
  region?: string;
  /** The network round trip to this place, in milliseconds. @default the profile's */
  roundTripMs?: number;
  /** Prices at this place, when it charges differently (partial: merged with the profile's). */
  pricing?: Partial<ModelPricing>;
}

/** The name an entry's place goes by: its `endpoint`, or `default`. */
export function endpointName(entry: Pick<PoolModel, 'endpoint'>): string {
  return entry.endpoint ?? 'default';
}

/** `mercury-2 @ eu-west` for an entry at a named place, the bare id otherwise. */
export function entryLabel(entry: Pick<PoolModel, 'id' | 'endpoint'>): string {
  return entry.endpoint === undefined ? entry.id : `${entry.id} @ ${entry.endpoint}`;
}

/** The key an entry's circuit breaker and measurements go by: `mercury-2@eu-west`, or the id. */
export function entryKey(entry: Pick<PoolModel, 'id' | 'endpoint'>): string {
  return entry.endpoint === undefined ? entry.id : `${entry.id}@${entry.endpoint}`;
}

/** Every entry of the model `id` (or a catalog alias of it) in `pool`: its endpoints, in pool order. */
export function endpointsOf(pool: ModelPool, id: string): PoolModel[] {
  const canonical = canonicalModelId(id);
  return pool.models.filter((entry) => entry.id === id || canonicalModelId(entry.id) === canonical);
}

/** Whether some model of the pool is at more than one place. */
export function hasEndpoints(pool: ModelPool): boolean {
  return pool.models.some((entry) => entry.endpoint !== undefined);
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
   * The residency restrictions this pool is a view under (`createRuntime({ regions })`, a run's
   * `regions`), outermost first: every entry is in each of them.
   */
  readonly regions?: readonly (readonly string[])[];
  /** Under `regions`: every entry of the pool the view was made from, for messages. */
  readonly everywhere?: readonly PoolModel[];
  /**
   * The pool model with this id or a catalog alias of it; throws a `ModelConfigError` naming the
   * known ids otherwise.
   */
  get(id: string): PoolModel;
}

/**
 * Pairs an AI SDK model with the profile the scheduler plans with; `place` names the endpoint it
 * serves from, when the model is at several places (its round trip and prices there merge into
 * the profile).
 *
 * @example
 * ```ts
 * defineModel(openai('gpt-5-mini'), { ...gpt5Mini, roundTripMs: 40 })
 * defineModel(euModel, mercury2, { endpoint: 'eu-west', region: 'eu-west' })
 * ```
 */
export function defineModel(
  model: LanguageModelV4,
  profile: ModelProfile,
  place: EndpointOptions = {},
): PoolModel {
  validateProfile(profile);
  const { endpoint, region, roundTripMs, pricing } = place;
  for (const [field, value] of [
    ['endpoint', endpoint],
    ['region', region],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new ModelConfigError({
        reason: 'invalid-profile',
        model: profile.id,
        message: `Expected \`${field}\` of \`${profile.id}\` to be a non-empty string, got \`${String(value)}\` (${typeof value})`,
      });
    }
  }
  if (roundTripMs !== undefined || pricing !== undefined) {
    profile = mergeProfile(profile, {
      ...(roundTripMs !== undefined && { roundTripMs }),
      ...(pricing !== undefined && { pricing }),
    });
  }
  if (model == null || typeof model.doStream !== 'function') {
    throw new ModelConfigError({
      reason: 'invalid-profile',
      model: profile.id,
      message: `Expected an AI SDK language model for \`${profile.id}\`, got \`${String(model)}\``,
    });
  }
  return {
    id: profile.id,
    profile,
    model,
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
  };
}

/**
 * A pool of models; there must be at least one. An id is in it once, or once per endpoint: the
 * same id at different `endpoint`s is one model at several places.
 */
export function createModelPool(
  models: readonly PoolModel[],
  options: {
    /** One line saying where the models come from. @default `models: ` and their ids */
    description?: string;
    /** The clock the models run on; a runtime given none of its own uses it. @default none */
    clock?: Clock;
  } = {},
): ModelPool {
  if (models.length === 0) {
    throw new ModelConfigError({
      reason: 'empty-pool',
      message: 'A model pool needs at least one model',
    });
  }
  const byId = new Map<string, PoolModel>();
  const places = new Set<string>();
  for (const entry of models) {
    const place = `${entry.id}\u0000${endpointName(entry)}`;
    if (places.has(place)) {
      throw new ModelConfigError({
        reason: 'duplicate-model',
        model: entry.id,
        message:
          byId.get(entry.id)?.endpoint === undefined && entry.endpoint === undefined
            ? `The model \`${entry.id}\` is in the pool twice`
            : `The model \`${entry.id}\` is in the pool twice at the endpoint \`${endpointName(entry)}\`; give each place of a model its own \`endpoint\` name`,
      });
    }
    places.add(place);
    // `get(id)` finds a model's first endpoint.
    if (!byId.has(entry.id)) byId.set(entry.id, entry);
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

/**
 * A pool like `pool` with other entries (learned speeds, an hour's prices): the same
 * description, clock and residency restriction.
 */
export function derivePool(pool: ModelPool, models: readonly PoolModel[]): ModelPool {
  const derived = createModelPool(models, { description: pool.description, clock: pool.clock });
  if (pool.regions === undefined) return derived;
  return { ...derived, regions: pool.regions, everywhere: pool.everywhere };
}
