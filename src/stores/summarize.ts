import type { JournalEntry, RunSummary } from './run-store';

/**
 * What a summary reads of a journal entry: a store that keeps these fields beside each entry
 * (PostgreSQL's columns) summarises without reading the entries back.
 */
export type SummaryEntry =
  | { readonly type: 'start'; readonly at: number; readonly chain: string; readonly steps: number }
  | {
      readonly type: 'unit';
      readonly at: number;
      readonly stepId: string;
      readonly item?: number;
      readonly costUsd: number;
    }
  | {
      readonly type: 'items';
      readonly at: number;
      readonly stepId: string;
      readonly items: readonly number[];
      readonly costUsd: number;
    }
  | { readonly type: 'map'; readonly at: number; readonly stepId: string }
  | { readonly type: 'end'; readonly at: number; readonly status: 'ok' | 'error' };

/** The fields of `entry` that a summary reads. */
export function summaryEntry(entry: JournalEntry): SummaryEntry {
  switch (entry.type) {
    case 'unit':
      return { ...entry, costUsd: entry.record.costUsd };
    case 'items': {
      let costUsd = 0;
      for (const row of entry.rows) costUsd += row[3];
      return { ...entry, items: entry.rows.map((row) => row[0]), costUsd };
    }
    default:
      return entry;
  }
}

/** A run's summary from its journal (for stores that keep no summary of their own). */
export function summarizeJournal(
  runId: string,
  entries: readonly JournalEntry[],
  leaseExpiresAt?: number,
): RunSummary | undefined {
  return summarizeEntries(runId, entries.map(summaryEntry), leaseExpiresAt);
}

/** A run's summary from what {@link summaryEntry} keeps of each of its entries. */
export function summarizeEntries(
  runId: string,
  entries: readonly SummaryEntry[],
  leaseExpiresAt?: number,
): RunSummary | undefined {
  const first = entries.find((entry) => entry.type === 'start');
  if (first === undefined) return undefined;
  let steps = first.steps;
  let attempts = 0;
  let status: RunSummary['status'] = 'running';
  let costUsd = 0;
  let updatedAt = first.at;
  const done = new Set<string>();
  const items = new Set<string>();
  for (const entry of entries) {
    updatedAt = Math.max(updatedAt, entry.at);
    if (entry.type === 'start') {
      attempts++;
      steps = entry.steps;
      status = 'running';
    } else if (entry.type === 'unit') {
      costUsd += entry.costUsd;
      if (entry.item === undefined) done.add(entry.stepId);
      else items.add(`${entry.stepId}#${entry.item}`);
    } else if (entry.type === 'items') {
      costUsd += entry.costUsd;
      for (const item of entry.items) items.add(`${entry.stepId}#${item}`);
    } else if (entry.type === 'map') done.add(entry.stepId);
    else status = entry.status;
  }
  return {
    runId,
    chain: first.chain,
    status,
    startedAt: first.at,
    updatedAt,
    attempts,
    steps,
    stepsDone: done.size,
    items: items.size,
    costUsd,
    leaseExpiresAt,
  };
}
