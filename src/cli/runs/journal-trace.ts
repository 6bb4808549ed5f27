import { addUsage, emptyUsage } from '../../models/cost';
import { journaledUnits } from '../../stores/journal-units';
import type { JournalEntry, RunStartEntry } from '../../stores/run-store';
import type { RunTrace, StepRecord, UnfinishedRunTrace } from '../../tracing/records';
import { modelCallsOf } from '../../tracing/totals/model-calls';
import { mapProgress, mapRecordOf } from './map-record';

/**
 * A run's trace from its journal: the last attempt's trace when it ended (its map items, which the
 * end entry leaves out, from the unit entries), else one put together from the finished units,
 * with `status` (the run's as `hotpath runs` lists it) and no plan.
 */
export function traceFromJournal(
  runId: string,
  entries: readonly JournalEntry[],
  status: UnfinishedRunTrace['status'] = 'interrupted',
): RunTrace | UnfinishedRunTrace {
  const items: Record<string, StepRecord[]> = {};
  const steps: StepRecord[] = [];
  for (const { record } of journaledUnits(runId, entries).values()) {
    if (record.item === undefined) steps.push(record);
    else {
      items[record.stepId] ??= [];
      items[record.stepId]!.push(record);
    }
  }
  for (const list of Object.values(items)) list.sort((a, b) => (a.item ?? 0) - (b.item ?? 0));
  const end = entries.findLast((entry) => entry.type === 'end');
  const startIndex = entries.findLastIndex((entry) => entry.type === 'start');
  const lastStart = entries[startIndex] as RunStartEntry | undefined;
  if (end?.type === 'end' && entries.indexOf(end) > startIndex) {
    return { ...end.trace, items };
  }
  // A map's step record is journaled as a `map` entry with no record: one from its items.
  const partialSteps: string[] = [];
  for (const [stepId, done] of mapProgress(entries)) {
    const list = items[stepId];
    if (list === undefined || steps.some((record) => record.stepId === stepId)) continue;
    if (done === undefined) partialSteps.push(stepId);
    steps.push(mapRecordOf(runId, stepId, list, done));
  }
  steps.sort((a, b) => a.endMs - b.endMs);
  const usage = emptyUsage();
  let costUsd = 0;
  for (const record of steps) {
    addUsage(usage, record.usage);
    costUsd += record.costUsd;
  }
  return {
    runId,
    chain: lastStart?.chain ?? '?',
    status,
    startedAt: lastStart?.at ?? 0,
    durationMs: Math.max(0, ...steps.map((record) => record.endMs)),
    costUsd,
    usage,
    calls: callsSince(runId, entries.slice(Math.max(0, startIndex))),
    steps,
    items,
    partialSteps,
    criticalPath: [],
    warnings: [{ source: 'journal', message: 'the run has not ended: this is what it finished' }],
  };
}

/**
 * The model calls of the units journaled in `entries`, counted as a finished run's trace counts
 * them: an attempt's units that the journal already held are read back, not journaled again, so
 * the entries since the last start are the calls that attempt made (a cached unit made none).
 */
function callsSince(runId: string, entries: readonly JournalEntry[]): number {
  let calls = 0;
  for (const { record } of journaledUnits(runId, entries).values()) {
    if (record.kind === 'llm') calls += modelCallsOf(record);
  }
  return calls;
}
