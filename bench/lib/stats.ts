/** Nearest-rank percentile of `values` (0-100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** A median with its spread: the 25th and 75th percentiles (all of it under 4 samples). */
export function spread(values: readonly number[], digits = 1, unit = ''): string {
  const m = median(values).toFixed(digits);
  if (values.length < 2) return `${m}${unit}`;
  const low = values.length < 4 ? Math.min(...values) : percentile(values, 25);
  const high = values.length < 4 ? Math.max(...values) : percentile(values, 75);
  return `${m}${unit} (${low.toFixed(digits)} to ${high.toFixed(digits)}, n=${values.length})`;
}

/** Seconds with two decimals. */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Dollars with six decimals. */
export const dollars = (usd: number) => `$${usd.toFixed(6)}`;

/** A ratio such as `5.9x`. */
export const times = (ratio: number) => `${ratio.toFixed(ratio >= 10 ? 0 : 1)}x`;

/** A signed percentage. */
export const signedPercent = (share: number, digits = 1) =>
  `${share >= 0 ? '+' : ''}${(share * 100).toFixed(digits)}%`;

/** A pass/fail mark for a target. */
export const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

/**
 * A percentile bootstrap interval for the median of `values` (`confidence` of the resamples fall
 * inside it): `rounds` resamples with replacement, drawn from a seeded generator so that the same
 * samples always give the same interval.
 */
export function medianInterval(
  values: readonly number[],
  confidence = 0.9,
  rounds = 4000,
  seed = 1,
): { low: number; high: number } {
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN };
  let state = seed >>> 0 || 1;
  // xorshift32: enough for picking indices.
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const medians: number[] = new Array(rounds);
  const draw: number[] = new Array(values.length);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < values.length; k++) draw[k] = values[Math.floor(next() * values.length)]!;
    medians[round] = median(draw);
  }
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(medians, tail), high: percentile(medians, 100 - tail) };
}
