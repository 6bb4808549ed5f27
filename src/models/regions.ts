import { InvalidArgumentError, ModelConfigError } from '../errors';
import { createModelPool, entryLabel, type ModelPool, type PoolModel } from './pool';

/**
 * Whether an entry may serve calls restricted to `regions`: its `region` is one of them or
 * inside one (`eu-west` is in `eu`). An entry without a region is in none: residency fails
 * closed.
 */
export function inRegions(entry: PoolModel, regions: readonly string[] | undefined): boolean {
  if (regions === undefined) return true;
  const { region } = entry;
  if (region === undefined) return false;
  return regions.some((allowed) => region === allowed || region.startsWith(`${allowed}-`));
}

/** `` `eu` or `us-east` ``: the regions of one restriction, for messages. */
export function formatRegions(regions: readonly string[]): string {
  return regions.map((region) => `\`${region}\``).join(' or ');
}

/** Where each entry is, for messages: `mercury-2 @ us-east in \`us-east\``. */
export function describePlaces(entries: readonly PoolModel[]): string {
  return entries
    .map(
      (entry) => `${entryLabel(entry)} ${entry.region ? `in \`${entry.region}\`` : 'in no region'}`,
    )
    .join(', ');
}

/** Checks a `regions` option: a non-empty list of non-empty strings. */
export function checkRegions(argument: string, regions: unknown): void {
  if (regions === undefined) return;
  if (
    !Array.isArray(regions) ||
    regions.length === 0 ||
    !regions.every((region) => typeof region === 'string' && region.trim() !== '')
  ) {
    throw new InvalidArgumentError({
      argument,
      expected: "a non-empty list of region names (`['eu']`)",
      value: regions,
    });
  }
}

const views = new WeakMap<ModelPool, Map<string, ModelPool>>();

/**
 * `pool` with only the entries in `regions` (see {@link inRegions}), remembering the
 * restriction for the messages of steps left without a model; `pool` itself without regions.
 * The view can be empty: planning then fails, naming the step and the regions allowed.
 */
export function restrictRegions(
  pool: ModelPool,
  regions: readonly string[] | undefined,
): ModelPool {
  if (regions === undefined) return pool;
  const key = JSON.stringify(regions);
  let byKey = views.get(pool);
  if (byKey === undefined) {
    byKey = new Map();
    views.set(pool, byKey);
  }
  const known = byKey.get(key);
  if (known !== undefined) return known;
  const kept = pool.models.filter((entry) => inRegions(entry, regions));
  const layers = [...(pool.regions ?? []), regions];
  const everywhere = pool.everywhere ?? pool.models;
  const view: ModelPool =
    kept.length > 0
      ? {
          ...pool,
          ...createModelPool(kept, { description: pool.description, clock: pool.clock }),
          ready: pool.ready,
          regions: layers,
          everywhere,
        }
      : {
          ...pool,
          models: [],
          regions: layers,
          everywhere,
          get: (id) => {
            throw new ModelConfigError({
              reason: 'unknown-model',
              model: id,
              message: `No endpoint of \`${id}\` is in the regions allowed (${layers.map(formatRegions).join(', then ')})`,
            });
          },
        };
  byKey.set(key, view);
  return view;
}
