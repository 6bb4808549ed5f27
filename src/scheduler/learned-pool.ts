import { createModelPool, type ModelPool } from '../models/pool';
import type { EstimateStore } from './estimate-store';

/** A model's learned figures replace its profile's once this many calls were measured. */
export const minLearnedSamples = 5;

const cache = new WeakMap<ModelPool, Map<string, ModelPool>>();

/**
 * `pool` with each model's profile speeds replaced by what `history` measured (the median first
 * token and output speed, once a model has {@link minLearnedSamples} calls): the catalog is a
 * starting point, the measurements are the truth. The same figures give the same pool object.
 */
export function learnedPool(pool: ModelPool, history: EstimateStore | undefined): ModelPool {
  if (history?.modelStats === undefined) return pool;
  const figures = pool.models.map((entry) => {
    const stats = history.modelStats!(entry.id);
    if (stats === undefined || stats.samples < minLearnedSamples) return undefined;
    const first = stats.timeToFirstTokenMs.p50;
    const speed = stats.outputTokensPerSecond.p50;
    return {
      // The measured first token holds the round trip; the profile adds it back.
      timeToFirstTokenMs: Number.isFinite(first)
        ? Math.max(1, first - entry.profile.roundTripMs)
        : entry.profile.timeToFirstTokenMs,
      outputTokensPerSecond:
        Number.isFinite(speed) && speed > 0 ? speed : entry.profile.outputTokensPerSecond,
    };
  });
  if (figures.every((figure) => figure === undefined)) return pool;
  const key = figures
    .map((f) =>
      f ? `${f.timeToFirstTokenMs.toFixed(1)}/${f.outputTokensPerSecond.toFixed(2)}` : '-',
    )
    .join(',');
  let byKey = cache.get(pool);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(pool, byKey);
  }
  let learned = byKey.get(key);
  if (learned === undefined) {
    const entries = pool.models.map((entry, i) =>
      figures[i] ? { ...entry, profile: { ...entry.profile, ...figures[i] } } : entry,
    );
    learned = createModelPool(entries, { description: pool.description, clock: pool.clock });
    byKey.set(key, learned);
  }
  return learned;
}
