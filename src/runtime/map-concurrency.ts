import type { StepNode } from '../chain';
import { mapSlots } from '../scheduler/predict';
import type { ModelGuards } from './resilience';

/**
 * How many of a map's items could run at once on `model` ({@link mapSlots}, at the runtime's
 * limit for the model), so the history stores a map's duration per wave the scheduler will
 * multiply it by. Absent for other steps.
 */
export function mapConcurrency(
  guards: ModelGuards,
  step: StepNode,
  model: string | undefined,
): number | undefined {
  if (step.kind !== 'map') return undefined;
  return mapSlots(step, model === undefined ? undefined : guards.limitsFor(model).concurrency);
}
