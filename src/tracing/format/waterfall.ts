import type { Lane } from '../../chain';
import { assertWholeNumber } from '../../errors/invalid-argument-error';
import { formatWait } from '../../scheduler/explain';
import type { RunFailure, RunTrace, StepRecord, UnfinishedRunTrace } from '../records';
import { createPaint, type Paint } from './ansi';
import { formatAxis } from './axis';
import { type BarUnit, CellState, computeCells, renderCells } from './bars';
import { inertTrace } from './inert-trace';
import { joinWrapped, padEnd, padStart, truncate } from './text';
import {
  type DrawnTrace,
  detailLines,
  footerLines,
  partialStepsOf,
  retriesOf,
  summaryLines,
  tookOf,
} from './waterfall-parts';

/** Options of {@link formatWaterfall}. */
export interface WaterfallOptions {
  /** Columns the output must fit: a whole number from 40 up. @default 80 */
  width?: number;
  /** ANSI colours. @default false */
  color?: boolean;
}

/**
 * A run as a terminal waterfall: one bar per step on a shared time axis (`░` waiting for the first
 * token, `█` generating, `●` on the measured critical path), then a table with model, lane,
 * tokens and cost per step, and the totals, the time waited per model, and the baselines. A run
 * that has not ended (`hotpath runs show`) is drawn from what it finished, without a plan line.
 *
 * @example
 * ```ts
 * const { trace } = await runtime.run(research, { question });
 * console.log(formatWaterfall(trace, { color: true }));
 * ```
 */
export function formatWaterfall(
  input: RunTrace | UnfinishedRunTrace,
  options: WaterfallOptions = {},
): string {
  const width = options.width ?? 80;
  // The layout needs 40 columns: bars, labels and the table's narrowest form.
  assertWholeNumber('width', width, minWidth);
  const paint = createPaint(options.color ?? false);
  const trace = inertTrace(input);
  // A run that ended before its first step (aborted, over budget) has no axis or table to draw.
  const ran = trace.steps.length > 0 || Object.keys(trace.items).length > 0;
  return [
    ...summaryLines(trace, paint, width),
    ...failureLines(trace, paint, width),
    '',
    ...(ran
      ? [...barLines(trace, paint, width), '', ...detailLines(trace, paint, width)]
      : [paint.dim('no step ran')]),
    '',
    ...footerLines(trace, paint, width),
  ].join('\n');
}

/** A failed run's error in one line: `RunAbortedError: Run of chain `digest` was aborted: ...`. */
export function describeRunFailure(error: RunFailure): string {
  return error.type === '_OTHER' ? error.message : `${error.type}: ${error.message}`;
}

/** Why the run failed, under the summary; unless a failed step says it below, with its id. */
function failureLines(trace: DrawnTrace, paint: Paint, width: number): string[] {
  const error = trace.status === 'error' ? trace.error : undefined;
  if (error === undefined) return [];
  const units = trace.steps.flatMap((record) => [record, ...(trace.items[record.stepId] ?? [])]);
  if (units.some((unit) => unit.status === 'error' && unit.error === error.message)) return [];
  return joinWrapped(paint.red('failed: '), [describeRunFailure(error)], width, 4);
}

/** The fewest columns {@link formatWaterfall} lays out in. */
const minWidth = 40;

/** One waterfall row: what a live view and the final view both draw. */
export interface BarRow {
  readonly label: string;
  readonly critical: boolean;
  readonly lane?: Lane;
  readonly failed: boolean;
  readonly units: readonly BarUnit[];
  readonly span: { readonly startMs: number; readonly endMs: number };
  /** The text right of the bar: a duration, `failed`, a map's progress, or `0.40 s, partial`. */
  readonly note: string;
}

/**
 * The axis line and one line per row, `width` columns in all, from `originMs` (where the axis
 * reads 0: a deferred run's first step) to `totalMs`, both from the run's start.
 */
export function formatBars(
  rows: readonly BarRow[],
  totalMs: number,
  width: number,
  paint: Paint,
  originMs = 0,
): string[] {
  const labelWidth = Math.min(18, Math.max(4, ...rows.map((row) => row.label.length)));
  const noteWidth = Math.max(6, ...rows.map((row) => row.note.length));
  const barWidth = Math.max(10, width - labelWidth - noteWidth - 4);
  const spanMs = Math.max(totalMs - originMs, 1);
  const msPerCell = spanMs / barWidth;
  const lines = [' '.repeat(labelWidth + 3) + paint.dim(formatAxis(spanMs, barWidth))];
  for (const row of rows) {
    const colour = row.failed ? paint.red : laneColour(paint, row.lane);
    const cells = computeCells(
      row.units.map((unit) => shift(unit, originMs)),
      shift(row.span, originMs),
      msPerCell,
      barWidth,
    );
    const bar = renderCells(cells, (state, text) =>
      state === CellState.Working
        ? colour(text)
        : state === CellState.Waiting
          ? paint.dim(colour(text))
          : paint.gray(text),
    );
    const marker = row.critical ? paint.yellow('●') : ' ';
    const label = padEnd(truncate(row.label, labelWidth), labelWidth);
    const note = padStart(row.note, noteWidth);
    lines.push(`${marker} ${label} ${bar} ${row.failed ? paint.red(note) : note}`);
  }
  return lines;
}

/** The times of `unit` from `originMs` rather than from the run's start. */
function shift<T extends { startMs: number; endMs: number; firstTokenMs?: number }>(
  unit: T,
  originMs: number,
): T {
  if (originMs === 0) return unit;
  const { firstTokenMs } = unit;
  return {
    ...unit,
    startMs: unit.startMs - originMs,
    endMs: unit.endMs - originMs,
    ...(firstTokenMs !== undefined && { firstTokenMs: firstTokenMs - originMs }),
  };
}

/** What the marks mean, wrapped to `width`. */
function legendLines(paint: Paint, width: number): string[] {
  const parts = [
    `${paint.yellow('●')} critical path`,
    '░ waiting for the first token',
    '█ generating',
  ];
  return joinWrapped('', parts, width, 2, '  ').map(paint.dim);
}

/** The lane's colour: fast models magenta, cheap ones cyan, function steps gray. */
export function laneColour(paint: Paint, lane: Lane | undefined): (text: string) => string {
  return lane === 'fast' ? paint.magenta : lane === 'cheap' ? paint.cyan : paint.gray;
}

function barLines(trace: DrawnTrace, paint: Paint, width: number): string[] {
  const critical = new Set(trace.criticalPath);
  const ordered = [...trace.steps].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const partial = partialStepsOf(trace);
  const rows = ordered.map((record) =>
    rowOf(record, trace.items[record.stepId], critical, partial),
  );
  const totalMs = Math.max(trace.durationMs, ...trace.steps.map((record) => record.endMs));
  // A deferred run's axis starts at its first step: hours of waiting would crush the bars.
  const originMs = Math.max(
    0,
    Math.min(trace.deferredMs ?? 0, ...trace.steps.map((record) => record.startMs)),
  );
  const wait =
    originMs > 0
      ? [
          paint.dim(
            truncate(
              `  ⋯ ${formatWait(originMs)} waiting for cheaper prices (the axis starts after it)`,
              width,
            ),
          ),
        ]
      : [];
  return [
    ...wait,
    ...formatBars(rows, totalMs, width, paint, originMs),
    ...legendLines(paint, width),
  ];
}

function rowOf(
  record: StepRecord,
  items: readonly StepRecord[] | undefined,
  critical: ReadonlySet<string>,
  partial: ReadonlySet<string>,
): BarRow {
  const retries = retriesOf(record, items);
  const label = `${record.stepId}${record.items === undefined ? '' : ` ×${record.items}`}${retries ? ` ↻${retries}` : ''}`;
  return {
    label,
    critical: critical.has(record.stepId),
    lane: record.lane,
    failed: record.status === 'error',
    units: record.kind === 'map' ? (items ?? []) : [record],
    span: record,
    note: tookOf(record, partial, items),
  };
}
