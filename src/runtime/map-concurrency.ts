import type { StepNode } from '../chain';
import type { ModelGuards } from './resilience';

/**
 * How many of a map's items could run at once on `model`: the step's `concurrency`, or the
 * model's limit when lower (the same bound the scheduler predicts waves with), so the history
 * stores a map's duration per wave the scheduler will multiply it by. Absent for other steps.
 */
export function mapConcurrency(
  guards: ModelGuards,
  step: StepNode,
  model: string | undefined,
): number | undefined {
  if (step.kind !== 'map') return undefined;
  const own = step.concurrency ?? 1;
  const limit = model === undefined ? undefined : guards.limitsFor(model).concurrency;
  return limit === undefined ? own : Math.max(1, Math.min(own, Math.floor(limit)));
}
