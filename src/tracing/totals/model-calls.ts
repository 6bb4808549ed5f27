import type { StepRecord } from '../records';

/**
 * The model calls behind one record: an agent's record lists each of its calls (tool rounds and
 * the answer) in `calls`; any other model record is one call.
 */
export function modelCallsOf(record: StepRecord): number {
  if (record.calls === undefined) return 1;
  return record.calls.filter((span) => span.kind === 'model').length;
}
