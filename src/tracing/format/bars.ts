import type { StepRecord } from '../records';

/** What one column of a bar shows, from nothing to generating (a higher state wins a column). */
export const CellState = {
  Empty: 0,
  /** Inside a map's span with no item in flight. */
  Span: 1,
  /** Waiting for a concurrency or rate-limit slot. */
  Queued: 2,
  /** Sent, waiting for the first token. */
  Waiting: 3,
  /** Generating (or a function step running). */
  Working: 4,
} as const;

/** One of {@link CellState}. */
export type CellState = (typeof CellState)[keyof typeof CellState];

/** The glyph of each state: readable without colour. */
export const cellGlyphs = [' ', '─', '·', '░', '█'] as const;

/** The parts of a record a bar needs (a running step has no end yet: pass the current time). */
export type BarUnit = Pick<StepRecord, 'kind' | 'startMs' | 'endMs'> &
  Partial<Pick<StepRecord, 'firstTokenMs' | 'queueWaitMs'>> & {
    /** Still running: an LLM call without its first token is waiting, not generating. */
    readonly running?: boolean;
  };

/**
 * The cells of one step's bar on a shared axis of `width` columns, `msPerCell` each. `units` are
 * the step's calls (its items, for a map); `span` is the step's own start and end.
 */
export function computeCells(
  units: readonly BarUnit[],
  span: { readonly startMs: number; readonly endMs: number },
  msPerCell: number,
  width: number,
): CellState[] {
  const cells = new Array<CellState>(width).fill(CellState.Empty);
  const mark = (from: number, to: number, state: CellState) => {
    if (!(to >= from)) return;
    const first = Math.min(width - 1, Math.max(0, Math.floor(from / msPerCell)));
    // An interval ending exactly on a cell boundary does not reach into the next cell.
    const last = Math.min(width - 1, Math.max(first, Math.ceil(to / msPerCell) - 1));
    for (let cell = first; cell <= last; cell++)
      cells[cell] = Math.max(cells[cell]!, state) as CellState;
  };
  mark(span.startMs, span.endMs, CellState.Span);
  for (const unit of units) {
    if (unit.queueWaitMs) mark(unit.startMs - unit.queueWaitMs, unit.startMs, CellState.Queued);
    const first = unit.kind === 'llm' ? (unit.firstTokenMs ?? unit.endMs) : unit.startMs;
    if (first > unit.startMs) mark(unit.startMs, first, CellState.Waiting);
    if (!unit.running || unit.kind !== 'llm' || unit.firstTokenMs !== undefined) {
      mark(first, unit.endMs, CellState.Working);
    }
  }
  return cells;
}

/** Renders cells as glyphs, colouring each run of equal cells with `paint(state, text)`. */
export function renderCells(
  cells: readonly CellState[],
  paint: (state: CellState, text: string) => string,
): string {
  let out = '';
  let run = '';
  let state: CellState | undefined;
  for (const cell of cells) {
    if (cell !== state && run) {
      out += paint(state!, run);
      run = '';
    }
    state = cell;
    run += cellGlyphs[cell];
  }
  if (run) out += paint(state!, run);
  return out;
}
