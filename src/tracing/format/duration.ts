import { formatWait } from '../../scheduler/explain';
import { formatSeconds } from './figures';

const hour = 3_600_000;

/**
 * A duration in a waterfall: `1.23 s`, and from an hour up `2 h 00 min`, so a deferred run's wait
 * or a deadline of hours reads as a clock does rather than as `7206.47 s`.
 */
export function formatDuration(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) >= hour ? formatWait(ms) : formatSeconds(ms);
}
