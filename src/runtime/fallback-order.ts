import type { Lane, StepNode } from '../chain';
import { endpointsOf, type ModelPool, type PoolModel } from '../models/pool';
import { inRegions } from '../models/regions';
import { predictCall } from '../scheduler/predict';

/** A typical call, for ranking models by speed without a prediction at hand. */
const referenceCall = { inputTokens: 500, outputTokens: 500 };

/** Predicted duration of the reference call on a model. */
export function referenceDurationMs(entry: PoolModel): number {
  return predictCall(entry.profile, referenceCall).durationMs;
}

export function referenceCostUsd(entry: PoolModel): number {
  return predictCall(entry.profile, referenceCall).costUsd;
}

/**
 * The models a step may fall back to, best first: the planned model, then the other candidates
 * (the step's `models`, those with structured output when it needs it) by the lane's measure:
 * speed for the fast lane, price for the cheap lane. A model at several places comes as all its
 * endpoints in the step's regions, side by side, so that another endpoint of a model is tried
 * before another model (`orderEndpoints` orders them by what calls measured).
 */
export function fallbackOrder(
  pool: ModelPool,
  step: StepNode,
  planned: string | undefined,
  lane: Lane | undefined,
): PoolModel[] {
  const definition = step.definition;
  if (definition.kind !== 'llm') return [];
  const listed = definition.models?.flatMap((id) => endpointsOf(pool, id)) ?? pool.models;
  const allowed = listed.filter(
    (entry) =>
      (definition.output === undefined || entry.profile.capabilities.structuredOutput) &&
      inRegions(entry, definition.regions),
  );
  const measure = lane === 'cheap' ? referenceCostUsd : referenceDurationMs;
  const best = new Map<string, number>();
  const first = new Map<string, number>();
  for (const [i, entry] of allowed.entries()) {
    best.set(entry.id, Math.min(best.get(entry.id) ?? Number.POSITIVE_INFINITY, measure(entry)));
    if (!first.has(entry.id)) first.set(entry.id, i);
  }
  const plannedId = planned === undefined ? undefined : endpointsOf(pool, planned)[0]?.id;
  const rank = (entry: PoolModel) => (entry.id === plannedId ? -1 : best.get(entry.id)!);
  // Stable: a model's endpoints stay together, in pool order, behind the model's best measure;
  // models that measure the same keep their pool order.
  return [...allowed].sort((a, b) => rank(a) - rank(b) || first.get(a.id)! - first.get(b.id)!);
}
