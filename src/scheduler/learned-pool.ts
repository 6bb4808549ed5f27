import { derivePool, endpointName, type ModelPool, type PoolModel } from '../models/pool';
import type { ModelProfile } from '../models/profile';
import type { EstimateStore } from './estimate-store';

/** A model's learned figures replace its profile's once this many successful calls measured them. */
export const minLearnedSamples = 5;

const cache = new WeakMap<ModelPool, Map<string, ModelPool>>();

type Figures = Pick<ModelProfile, 'timeToFirstTokenMs' | 'outputTokensPerSecond'> &
  Partial<Pick<ModelProfile, 'roundTripMs'>>;

/**
 * `pool` with each model's profile speeds replaced by what `history` measured (the median first
 * token and output speed, once a model has {@link minLearnedSamples} calls): the catalog is a
 * starting point, the measurements are the truth. An entry at a named endpoint learns its own
 * round trip and first token from the first call measured there (see {@link learnedFigures}).
 * The same figures give the same pool object.
 */
export function learnedPool(pool: ModelPool, history: EstimateStore | undefined): ModelPool {
  if (history?.modelStats === undefined) return pool;
  const figures = pool.models.map((entry) => learnedFigures(entry, history));
  if (figures.every((figure) => figure === undefined)) return pool;
  const key = figures
    .map((f) =>
      f
        ? `${f.timeToFirstTokenMs.toFixed(1)}/${f.outputTokensPerSecond.toFixed(2)}/${f.roundTripMs?.toFixed(1) ?? ''}`
        : '-',
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
    learned = derivePool(pool, entries);
    byKey.set(key, learned);
  }
  return learned;
}

/**
 * What `history` measured of one pool entry, or nothing when it has not learned it yet. A model
 * at one place: its median first token (round trip and the median prompt's prefill taken out,
 * as `predictCall` adds them back) and output speed, each once
 * {@link minLearnedSamples} successful calls measured it. An entry at a named endpoint: from its
 * first measured call, the endpoint's median round trip (each call's first-token wait beyond the
 * model's own), so that plans and the runtime tell a near place from a far one; the model's
 * output speed as above.
 */
export function learnedFigures(entry: PoolModel, history: EstimateStore): Figures | undefined {
  const stats = history.modelStats?.(entry.id);
  const { profile } = entry;
  const speed =
    stats && stats.measured.outputTokensPerSecond >= minLearnedSamples
      ? stats.outputTokensPerSecond.p50
      : Number.NaN;
  const outputTokensPerSecond =
    Number.isFinite(speed) && speed > 0 ? speed : profile.outputTokensPerSecond;
  if (entry.endpoint !== undefined) {
    const place = history.endpointStats?.(entry.id, endpointName(entry));
    if (place === undefined) {
      return outputTokensPerSecond === profile.outputTokensPerSecond
        ? undefined
        : { timeToFirstTokenMs: profile.timeToFirstTokenMs, outputTokensPerSecond };
    }
    // A call's round trip is what its first token took beyond the model's own time: the
    // model's first-token time stays the profile's, the endpoint's distance is learned.
    const trip = place.roundTripMs.p50;
    return {
      roundTripMs: Number.isFinite(trip) ? trip : profile.roundTripMs,
      timeToFirstTokenMs: profile.timeToFirstTokenMs,
      outputTokensPerSecond,
    };
  }
  const first =
    stats && stats.measured.timeToFirstTokenMs >= minLearnedSamples
      ? stats.timeToFirstTokenMs.p50 - prefillMs(profile, stats.uncachedInputTokens.p50)
      : Number.NaN;
  if (!Number.isFinite(first) && outputTokensPerSecond === profile.outputTokensPerSecond)
    return undefined;
  return {
    // The measured first token holds the round trip and the prompt's prefill; plans add both
    // back, the prefill of the prompt they predict.
    timeToFirstTokenMs: Number.isFinite(first)
      ? Math.max(1, first - profile.roundTripMs)
      : profile.timeToFirstTokenMs,
    outputTokensPerSecond,
  };
}

/**
 * The prefill of `uncachedInputTokens` at the profile's speed, as `predictCall` charges
 * it; 0 when unknown. The median first token less the median prefill is the median of the
 * first tokens less their prefill when a longer prompt makes a later first token.
 */
export function prefillMs(
  profile: Pick<ModelProfile, 'prefillTokensPerSecond'>,
  uncachedInputTokens: number,
): number {
  const ms = (uncachedInputTokens / profile.prefillTokensPerSecond) * 1000;
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
