/**
 * A time axis of `width` columns over `totalMs`: labels (`0 s`, `2 s`, ...) at round steps, each
 * placed where its time falls and dropped when it would run into the previous one.
 */
export function formatAxis(totalMs: number, width: number): string {
  const msPerCell = totalMs / width;
  const step = niceStep(totalMs / Math.max(1, Math.floor(width / 10)));
  let line = '';
  for (let at = 0; at <= totalMs + 1e-9; at += step) {
    const label = formatTick(at, step);
    const column = Math.round(at / msPerCell);
    if (column + label.length > width) break;
    if (column < line.length + (line ? 1 : 0)) continue;
    line = line.padEnd(column) + label;
  }
  return line;
}

/** The smallest 1, 2 or 5 × 10^k milliseconds not below `ms`. */
function niceStep(ms: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(ms, 1e-3)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= ms) return factor * power;
  return 10 * power;
}

function formatTick(ms: number, step: number): string {
  if (step < 1000) return `${Math.round(ms)}ms`;
  const digits = step % 1000 === 0 ? 0 : 1;
  return `${(ms / 1000).toFixed(digits)}s`;
}
