import type { ModelPool } from '../models/pool';
import type { ModelProfile } from '../models/profile';

/** How much slower (above 1) or faster than its profile each model has run in this run. */
export type SpeedFactors = Map<string, number>;

/** Weight of the newest measurement in the moving factor. */
const weight = 0.5;
/** Factors this close to 1 leave the profile as it is. */
const deadBand = 0.05;

/**
 * Folds one measured step into its model's factor: measured over predicted duration. A provider
 * that is slow today is slow for every step that runs on it, not only the one measured.
 */
export function measureSpeed(
  factors: SpeedFactors,
  model: string,
  measuredMs: number,
  predictedMs: number,
): void {
  if (!(predictedMs > 0) || !(measuredMs > 0)) return;
  const ratio = measuredMs / predictedMs;
  const previous = factors.get(model);
  factors.set(model, previous === undefined ? ratio : previous + weight * (ratio - previous));
}

/** The factors worth planning with: those more than a few percent from 1. */
export function effectiveFactors(factors: SpeedFactors): SpeedFactors {
  return new Map([...factors].filter(([, factor]) => Math.abs(factor - 1) > deadBand));
}

/**
 * The pool with each model's timing scaled by its factor (first token, round trip, prefill and
 * decoding alike, so a prediction scales by exactly the factor), for re-planning.
 */
export function adjustPool(pool: ModelPool, scaled: SpeedFactors): ModelPool {
  if (scaled.size === 0) return pool;
  const models = pool.models.map((entry) => {
    const factor = scaled.get(entry.id);
    return factor === undefined
      ? entry
      : { ...entry, profile: scaleProfile(entry.profile, factor) };
  });
  const byId = new Map(models.map((entry) => [entry.id, entry]));
  return { ...pool, models, get: (id) => byId.get(id) ?? pool.get(id) };
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
