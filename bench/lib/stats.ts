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
