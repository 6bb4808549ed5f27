const minute = 60_000;
const hour = 60 * minute;

/** Round steps from a minute up: labels read `15min`, `1h30`, `6h`. */
const clockSteps = [1, 2, 5, 10, 15, 30]
  .map((m) => m * minute)
  .concat([1, 2, 3, 6, 12, 24].map((h) => h * hour));

/**
 * A time axis of `width` columns over `totalMs`: labels (`0s`, `2s`, ...) at round steps, each
 * placed where its time falls and dropped when it would run into the previous one. Steps are a
 * millisecond at least, so a run of a few milliseconds gets each label once.
 */
export function formatAxis(totalMs: number, width: number): string {
  // A run's time that is no number (a trace built by hand) has no scale to label.
  if (!Number.isFinite(totalMs)) return '';
  const msPerCell = totalMs / width;
  const step = niceStep(totalMs / Math.max(1, Math.floor(width / 10)));
  let line = '';
  for (let index = 0; index * step <= totalMs + 1e-9; index++) {
    const at = index * step;
    const label = formatTick(at, step);
    const column = Math.round(at / msPerCell);
    if (column + label.length > width) break;
    if (column < line.length + (line ? 1 : 0)) continue;
    line = line.padEnd(column) + label;
  }
  return line;
}

/**
 * The smallest round step not below `ms`: 1, 2 or 5 × 10^k milliseconds up to 50 s, then whole
 * minutes and hours, then days; never below 1 ms (the labels show no fractions of one).
 */
function niceStep(ms: number): number {
  if (ms <= 1) return 1;
  if (ms > 50_000) {
    const clock = clockSteps.find((step) => step >= ms);
    return clock ?? niceStep(ms / (24 * hour)) * 24 * hour;
  }
  const power = 10 ** Math.floor(Math.log10(ms));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= ms) return factor * power;
  return 10 * power;
}

function formatTick(ms: number, step: number): string {
  if (step < 1000) return `${Math.round(ms)}ms`;
  if (step < minute) return `${(ms / 1000).toFixed(step % 1000 === 0 ? 0 : 1)}s`;
  const minutes = Math.round(ms / minute);
  if (step < hour && minutes < 60) return `${minutes}min`;
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)}h${rest === 0 ? '' : String(rest).padStart(2, '0')}`;
}
