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
