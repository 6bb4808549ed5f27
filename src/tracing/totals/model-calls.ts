import type { StepRecord } from '../records';

/**
 * The model calls this run made for one record: an agent's record lists each of its calls (tool
 * rounds and the answer) in `calls`; any other model record is one call. A record read back
 * (`source: 'resumed'` from the run's journal, `'cache'` from the development cache) made none:
 * its cost and tokens still count where the trace says so, its calls do not. Nor did a record
 * without an attempt (`attempt: 0`: the budget refused its first call before it was sent).
 */
export function modelCallsOf(record: StepRecord): number {
  if (record.source === 'resumed' || record.source === 'cache') return 0;
  // No attempt: refused before its first call was sent (over budget).
  if (!(record.attempt >= 1)) return 0;
  if (record.calls === undefined) return 1;
  return record.calls.filter((span) => span.kind === 'model').length;
}
