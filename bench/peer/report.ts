import type { BenchRow } from '../lib/table';
import { mapShape, peerShapes } from './shapes';

/** The middle value; with an even count, the mean of the two middle ones (2 processes: their mean). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One child's times: shape to runner to ms per run. */
export type ShapeTimes = Record<string, Record<string, number[]>>;
/** One 10,000-item map child's figures. */
export interface MapFigures {
  readonly ms: number;
  readonly peakRssMb: number;
}

/** The rows of the peer table: a label and, per process, the child's times. */
export interface PeerSeries {
  readonly label: string;
  readonly runner: string;
  readonly processes: readonly ShapeTimes[];
}

/**
 * Per process, the median over repetitions of (runner - baseline) / calls in µs, then the median
 * over processes (with its range when there are two or more).
 */
function overMicros(series: PeerSeries, shapeId: string, baseline: string | undefined): number[] {
  const calls = peerShapes.find((shape) => shape.id === shapeId)!.calls;
  return series.processes.map((times) => {
    const own = times[shapeId]![series.runner]!;
    const base = baseline === undefined ? undefined : times[shapeId]![baseline]!;
    return median(own.map((ms, index) => ((ms - (base?.[index] ?? 0)) * 1000) / calls));
  });
}

const cell = (values: readonly number[]) => {
  const middle = median(values).toFixed(0);
  if (values.length < 2) return middle;
  return `${middle} (${Math.min(...values).toFixed(0)} to ${Math.max(...values).toFixed(0)})`;
};

/** One table: a row per series, a column per shape. */
export function peerRows(
  title: string,
  series: readonly PeerSeries[],
  baseline: string | undefined,
): BenchRow[] {
  return series.map((one) => {
    const row: BenchRow = { [title]: one.label };
    for (const shape of peerShapes) row[shape.label] = cell(overMicros(one, shape.id, baseline));
    return row;
  });
}

/** The median µs per step of one series at one shape, end to end. */
export function endToEnd(series: PeerSeries, shapeId: string): number {
  return median(overMicros(series, shapeId, undefined));
}

/** Per-step overhead over a baseline at one shape: the median over processes. */
export function overhead(series: PeerSeries, shapeId: string, baseline: string): number {
  return median(overMicros(series, shapeId, baseline));
}

/** The 10,000-item map: time and peak RSS per runner, medians over processes (each run listed). */
export function mapRows(figures: ReadonlyMap<string, readonly MapFigures[]>): BenchRow[] {
  return [...figures].map(([label, runs]) => ({
    [mapShape.label]: label,
    'time (s)': `${(median(runs.map((run) => run.ms)) / 1000).toFixed(2)} (${runs.map((run) => (run.ms / 1000).toFixed(2)).join(', ')})`,
    'peak RSS (MB)': `${median(runs.map((run) => run.peakRssMb)).toFixed(0)} (${runs.map((run) => run.peakRssMb.toFixed(0)).join(', ')})`,
  }));
}
