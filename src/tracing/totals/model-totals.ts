import { addUsage, emptyUsage, type TokenUsage } from '../../models/cost';
import type { ModelTotals, StepRecord } from '../records';
import { modelCallsOf } from './model-calls';

/**
 * Per model: calls, tokens, cost, and the time the run waited on it. Waiting is the union of the
 * calls' intervals: six parallel 5 s calls are 5 s of waiting, not 30, which is what a reader
 * asking "where did the time go" means. A record whose attempts went to several models (see
 * `StepRecord.byModel`) counts a call, tokens and cost for each of them; its time counts for the
 * model it ended on.
 */
export function computeModelTotals(calls: readonly StepRecord[]): Record<string, ModelTotals> {
  const groups = new Map<string, StepRecord[]>();
  const spend = new Map<string, { calls: number; usage: TokenUsage; costUsd: number }>();
  const charge = (model: string, usage: TokenUsage, costUsd: number, calls = 1) => {
    let entry = spend.get(model);
    if (entry === undefined) {
      entry = { calls: 0, usage: emptyUsage(), costUsd: 0 };
      spend.set(model, entry);
    }
    entry.calls += calls;
    addUsage(entry.usage, usage);
    entry.costUsd += costUsd;
  };
  for (const record of calls) {
    if (record.model === undefined || record.kind !== 'llm') continue;
    const list = groups.get(record.model) ?? [];
    list.push(record);
    groups.set(record.model, list);
    // An agent's record holds all its model calls (see `modelCallsOf`).
    if (record.byModel === undefined) {
      charge(record.model, record.usage, record.costUsd, modelCallsOf(record));
    } else {
      for (const [model, part] of Object.entries(record.byModel)) {
        charge(model, part.usage, part.costUsd);
      }
      if (!(record.model in record.byModel)) charge(record.model, emptyUsage(), 0);
    }
  }
  const totals: Record<string, ModelTotals> = {};
  for (const [model, { calls: count, usage, costUsd }] of spend) {
    const list = groups.get(model) ?? [];
    let callMs = 0;
    for (const record of list) callMs += record.durationMs;
    totals[model] = { calls: count, waitMs: unionMs(list), callMs, usage, costUsd };
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
