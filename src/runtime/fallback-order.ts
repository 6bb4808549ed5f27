import type { Lane, StepNode } from '../chain';
import type { ModelPool, PoolModel } from '../models/pool';
import { predictCall } from '../scheduler/predict';

/** A typical call, for ranking models by speed without a prediction at hand. */
const referenceCall = { inputTokens: 500, outputTokens: 500 };

/** Predicted duration of the reference call on a model. */
export function referenceDurationMs(entry: PoolModel): number {
  return predictCall(entry.profile, referenceCall).durationMs;
}

function referenceCostUsd(entry: PoolModel): number {
  return predictCall(entry.profile, referenceCall).costUsd;
}

/**
 * The models a step may fall back to, best first: the planned model, then the other candidates
 * (the step's `models`, those with structured output when it needs it) by the lane's measure:
 * speed for the fast lane, price for the cheap lane.
 */
export function fallbackOrder(
  pool: ModelPool,
  step: StepNode,
  planned: string | undefined,
  lane: Lane | undefined,
): PoolModel[] {
  const definition = step.definition;
  if (definition.kind !== 'llm') return [];
  const allowed = (definition.models?.map((id) => pool.get(id)) ?? pool.models).filter(
    (entry) => definition.output === undefined || entry.profile.capabilities.structuredOutput,
  );
  const measure = lane === 'cheap' ? referenceCostUsd : referenceDurationMs;
  const others = allowed
    .filter((entry) => entry.id !== planned)
    .sort((a, b) => measure(a) - measure(b));
  const first = planned === undefined ? [] : [pool.get(planned)];
  return [...first, ...others];
}
