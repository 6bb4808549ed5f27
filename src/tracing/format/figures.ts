// The reports write figures as plans do: `$?` and `? s` for one that is not finite.
export { formatSeconds, formatUsd, unknownFigure } from '../../scheduler/explain';

/** A wall-clock start in ISO form, or `unknown start` for one that is no time. */
export function formatStart(startedAt: unknown): string {
  const date = new Date(typeof startedAt === 'number' ? startedAt : Number.NaN);
  return Number.isNaN(date.getTime()) ? 'unknown start' : date.toISOString();
}
