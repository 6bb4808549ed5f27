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

/**
 * The factors worth planning with, against those the last plan used (`planned`): a model's
 * factor moves only when the measured one strays more than a few percent from it (from 1 for a
 * model planned on its profile), and a factor within as much of 1 is left out. So a model that
 * runs steadily 1.5 times slow keeps the factor it was planned with while its measurements wobble
 * around it, and a re-plan on it re-predicts none of its steps (see `scaleSpeeds`): on a
 * 1,000-step chain that is most of a re-plan's time.
 */
export function effectiveFactors(
  factors: SpeedFactors,
  planned: ReadonlyMap<string, number> = new Map(),
): SpeedFactors {
  const effective: SpeedFactors = new Map();
  for (const [model, factor] of factors) {
    const was = planned.get(model) ?? 1;
    const kept = Math.abs(factor / was - 1) <= deadBand ? was : factor;
    if (Math.abs(kept - 1) > deadBand) effective.set(model, kept);
  }
  return effective;
}
