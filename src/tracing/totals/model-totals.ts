import { addUsage, emptyUsage, type TokenUsage } from '../../models/cost';
import type { ModelTotals, StepRecord } from '../records';

/**
 * Per model: calls, tokens, cost, and the time the run waited on it. Waiting is the union of the
 * calls' intervals: six parallel 5 s calls are 5 s of waiting, not 30, which is what a reader
 * asking "where did the time go" means.
 */
export function computeModelTotals(calls: readonly StepRecord[]): Record<string, ModelTotals> {
  const groups = new Map<string, StepRecord[]>();
  for (const record of calls) {
    if (record.model === undefined || record.kind !== 'llm') continue;
    const list = groups.get(record.model) ?? [];
    list.push(record);
    groups.set(record.model, list);
  }
  const totals: Record<string, ModelTotals> = {};
  for (const [model, list] of groups) {
    const usage: TokenUsage = emptyUsage();
    let costUsd = 0;
    let callMs = 0;
    for (const record of list) {
      addUsage(usage, record.usage);
      costUsd += record.costUsd;
      callMs += record.durationMs;
    }
    totals[model] = { calls: list.length, waitMs: unionMs(list), callMs, usage, costUsd };
  }
  return totals;
}

/** The length of the union of the records' [start, end] intervals. */
function unionMs(records: readonly StepRecord[]): number {
  const sorted = [...records].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const record of sorted) {
    if (record.startMs > end) {
      if (end > start) total += end - start;
      start = record.startMs;
      end = record.endMs;
    } else end = Math.max(end, record.endMs);
  }
  if (end > start) total += end - start;
  return total;
}
