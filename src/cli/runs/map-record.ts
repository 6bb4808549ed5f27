import { addUsage, emptyUsage } from '../../models/cost';
import type { JournalEntry } from '../../stores/run-store';
import type { StepRecord } from '../../tracing/records';

/**
 * The maps a journal holds items of, and for each whether it is done: how many items its `map`
 * entry says it ran, or `undefined` while items came after its last `map` entry (a map under way,
 * or run again by a later attempt).
 */
export function mapProgress(entries: readonly JournalEntry[]): Map<string, number | undefined> {
  const maps = new Map<string, number | undefined>();
  for (const entry of entries) {
    if (entry.type === 'map') maps.set(entry.stepId, entry.items);
    else if (entry.type === 'items' || (entry.type === 'unit' && entry.item !== undefined)) {
      maps.set(entry.stepId, undefined);
    }
  }
  return maps;
}

/**
 * A map's step record put together from its finished items (a journal keeps none for a map):
 * `count` items (theirs, unless said), from the first item's start to the last one's end, their
 * usage and cost added up, and the model, lane and provider they share.
 */
export function mapRecordOf(
  runId: string,
  stepId: string,
  items: readonly StepRecord[],
  count = items.length,
): StepRecord {
  const usage = emptyUsage();
  let costUsd = 0;
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = 0;
  for (const item of items) {
    addUsage(usage, item.usage);
    costUsd += item.costUsd;
    startMs = Math.min(startMs, item.startMs);
    endMs = Math.max(endMs, item.endMs);
  }
  startMs = Math.min(startMs, endMs);
  const shared = <TKey extends 'model' | 'lane' | 'provider' | 'source'>(key: TKey) =>
    items.every((item) => item[key] === items[0]?.[key]) ? items[0]?.[key] : undefined;
  return {
    runId,
    stepId,
    kind: 'map',
    status: 'ok',
    model: shared('model'),
    lane: shared('lane'),
    provider: shared('provider'),
    attempt: 1,
    startMs,
    endMs,
    durationMs: endMs - startMs,
    usage,
    costUsd,
    items: count,
    source: shared('source') ?? 'call',
  };
}
