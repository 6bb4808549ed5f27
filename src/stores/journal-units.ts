import type { StepRecord } from '../tracing/records';
import type { ItemRow, ItemRowOwn, ItemsEntry, JournalEntry, UnitRecord } from './run-store';

/** A unit read back from a journal: what it depends on, its output and its record. */
export interface JournaledUnit {
  readonly key: string;
  readonly output: unknown;
  readonly record: StepRecord;
}

/**
 * An {@link ItemsEntry} being filled until its batch is handed to the store: its rows grow, and
 * its time is its latest item's.
 */
export type OpenItemsEntry = Omit<ItemsEntry, 'at' | 'rows'> & { at: number; rows: ItemRow[] };

/** An empty items entry for `record`'s step, sharing its model, lane and provider. */
export function openItemsEntry(record: StepRecord, at: number): OpenItemsEntry {
  return {
    type: 'items',
    v: 2,
    at,
    stepId: record.stepId,
    kind: record.kind,
    model: record.model,
    lane: record.lane,
    provider: record.provider,
    rows: [],
  };
}

/** A map item's row in `entry`: its own model only where it differs from the entry's. */
export function itemRow(
  entry: ItemsEntry,
  record: StepRecord,
  key: string,
  output: unknown,
): ItemRow {
  const { usage } = record;
  const row: unknown[] = [
    record.item!,
    key,
    output,
    record.costUsd,
    usage.inputTokens,
    usage.cachedInputTokens,
    usage.outputTokens,
    usage.reasoningTokens,
    record.attempt,
    roundMicros(record.startMs),
    roundMicros(record.durationMs),
  ];
  const source = record.source ?? 'call';
  if (
    record.model !== entry.model ||
    record.lane !== entry.lane ||
    record.provider !== entry.provider ||
    source !== 'call'
  ) {
    const own: ItemRowOwn = {
      model: record.model,
      lane: record.lane,
      provider: record.provider,
      source: source === 'call' ? undefined : source,
    };
    row.push(own);
  }
  return row as unknown as ItemRow;
}

/**
 * A time in ms to the microsecond: what a trace shows of it, in 6 to 9 characters instead of up
 * to 18 (`28.685337000000345`).
 */
function roundMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** The record a row stands for, as resume and `hotpath runs show` read it. */
export function rowRecord(runId: string, entry: ItemsEntry, row: ItemRow): StepRecord {
  const own = row[11];
  const named = own ?? entry;
  return {
    runId,
    stepId: entry.stepId,
    kind: entry.kind,
    item: row[0],
    status: 'ok',
    model: named.model,
    lane: named.lane,
    provider: named.provider,
    attempt: row[8],
    startMs: row[9],
    endMs: row[9] + row[10],
    durationMs: row[10],
    usage: {
      inputTokens: row[4],
      cachedInputTokens: row[5],
      outputTokens: row[6],
      reasoningTokens: row[7],
    },
    costUsd: row[3],
    source: own?.source ?? 'call',
  };
}

/** What a unit entry keeps of a step's record: all but what {@link unitRecord} rebuilds. */
export function keptRecord(record: StepRecord): UnitRecord {
  const {
    runId: _runId,
    endMs: _endMs,
    timeToFirstTokenMs: _ttft,
    decodeMs: _decode,
    ...kept
  } = record;
  return kept;
}

/** A unit entry's record whole again (entries before format 3 kept it whole). */
export function unitRecord(runId: string, kept: UnitRecord): StepRecord {
  if (kept.runId !== undefined && kept.endMs !== undefined) return kept as StepRecord;
  const endMs = kept.startMs + kept.durationMs;
  const firstTokenMs = kept.firstTokenMs;
  return {
    ...kept,
    runId,
    endMs,
    timeToFirstTokenMs: firstTokenMs === undefined ? undefined : firstTokenMs - kept.startMs,
    decodeMs: firstTokenMs === undefined ? undefined : endMs - firstTokenMs,
  };
}

/**
 * Every unit a journal holds, by `stepId` or `stepId#item`, the latest winning: steps and the
 * map items of earlier formats from their unit entries, map items of format 2 from their rows.
 */
export function journaledUnits(
  runId: string,
  entries: readonly JournalEntry[],
): Map<string, JournaledUnit> {
  const units = new Map<string, JournaledUnit>();
  for (const entry of entries) {
    if (entry.type === 'unit') {
      units.set(entry.item === undefined ? entry.stepId : `${entry.stepId}#${entry.item}`, {
        key: entry.key,
        output: entry.output,
        record: unitRecord(runId, entry.record),
      });
    } else if (entry.type === 'items') {
      for (const row of entry.rows) {
        units.set(`${entry.stepId}#${row[0]}`, {
          key: row[1],
          output: row[2],
          record: rowRecord(runId, entry, row),
        });
      }
    }
  }
  return units;
}
