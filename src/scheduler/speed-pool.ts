import type { ModelPool } from '../models/pool';
import type { ModelProfile } from '../models/profile';

/** How much slower (above 1) or faster than its profile each model runs, by model id. */
export type SpeedFactors = ReadonlyMap<string, number>;

/** What a scaled pool was scaled from. */
interface Scaling {
  readonly from: ModelPool;
  readonly factors: SpeedFactors;
}

const scalings = new WeakMap<ModelPool, Scaling>();

const none: SpeedFactors = new Map();

/**
 * `pool` with each model's timing scaled by its factor (first token, round trip, prefill and
 * decoding alike, so that a prediction scales by exactly the factor); `pool` itself without
 * factors. A re-plan on a pool scaled from the same pool as the last plan's predicts again only
 * the steps that can run on a model whose factor moved (see {@link speedChange}).
 */
export function scaleSpeeds(pool: ModelPool, factors: SpeedFactors): ModelPool {
  if (factors.size === 0) return pool;
  const models = pool.models.map((entry) => {
    const factor = factors.get(entry.id);
    return factor === undefined
      ? entry
      : { ...entry, profile: scaleProfile(entry.profile, factor) };
  });
  const byId = new Map(models.map((entry) => [entry.id, entry]));
  const scaled: ModelPool = { ...pool, models, get: (id) => byId.get(id) ?? pool.get(id) };
  scalings.set(scaled, { from: pool, factors: new Map(factors) });
  return scaled;
}

function scaleProfile(profile: ModelProfile, factor: number): ModelProfile {
  return {
    ...profile,
    roundTripMs: profile.roundTripMs * factor,
    timeToFirstTokenMs: profile.timeToFirstTokenMs * factor,
    prefillTokensPerSecond: profile.prefillTokensPerSecond / factor,
    outputTokensPerSecond: profile.outputTokensPerSecond / factor,
  };
}

/**
 * The models whose speed differs between two pools scaled (by {@link scaleSpeeds}, or not at
 * all) from the same pool: every other model has the same profile in both. Undefined when they
 * come from different pools.
 */
export function speedChange(a: ModelPool, b: ModelPool): ReadonlySet<string> | undefined {
  const from = scalings.get(a);
  const to = scalings.get(b);
  if ((from?.from ?? a) !== (to?.from ?? b)) return undefined;
  const before = from?.factors ?? none;
  const after = to?.factors ?? none;
  const changed = new Set<string>();
  for (const [id, factor] of before) if (after.get(id) !== factor) changed.add(id);
  for (const [id, factor] of after) if (before.get(id) !== factor) changed.add(id);
  return changed;
}
