import type { StepRecord } from '../records';

/**
 * The records that stand for one call each: plain steps, and the items of map steps (a map's own
 * record sums its items, so counting it too would count its tokens twice).
 */
export function callRecords(
  steps: readonly StepRecord[],
  items:
    | Readonly<Record<string, readonly StepRecord[]>>
    | ReadonlyMap<string, readonly StepRecord[]>,
): StepRecord[] {
  const byStep = items instanceof Map ? items : new Map(Object.entries(items));
  const units: StepRecord[] = [];
  for (const record of steps) {
    if (record.kind === 'map') append(units, byStep.get(record.stepId));
    else units.push(record);
  }
  // A map that failed before its record was written still has items to count.
  const seen = new Set(steps.map((record) => record.stepId));
  for (const [stepId, list] of byStep) if (!seen.has(stepId)) append(units, list);
  return units;
}

/** `push(...list)` without one argument per record: a wide map's items overflow the stack. */
function append(units: StepRecord[], list: readonly StepRecord[] | undefined): void {
  if (list !== undefined) for (const record of list) units.push(record);
}
