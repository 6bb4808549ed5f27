import { formatSeconds, formatUsd } from '../../scheduler/explain';

/**
 * What a figure that is not a finite number (a trace built by hand, a field a log lacked) reads
 * as in the waterfall and the HTML report: a sign that it is unknown, never `NaN`, and never a
 * guess such as `$0`.
 */
export const unknownFigure = '?';

/** Dollars as `formatUsd` writes them (`$0.000412`), or `$?` for an amount that is not finite. */
export function formatCost(usd: number): string {
  return Number.isFinite(usd) ? formatUsd(usd) : `$${unknownFigure}`;
}

/** Seconds as `formatSeconds` writes them (`1.23 s`), or `? s` for a time that is not finite. */
export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? formatSeconds(ms) : `${unknownFigure} s`;
}

/** A wall-clock start in ISO form, or `unknown start` for one that is no time. */
export function formatStart(startedAt: unknown): string {
  const date = new Date(typeof startedAt === 'number' ? startedAt : Number.NaN);
  return Number.isNaN(date.getTime()) ? 'unknown start' : date.toISOString();
}
