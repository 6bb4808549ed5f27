import type { StepNode } from '../chain';
import { ModelConfigError } from '../errors';
import type { ModelPool, PoolModel } from '../models/pool';
import { type CallPrediction, predictCall, type StepEstimate } from './predict';

/** A model a step may run on, with its predicted call. */
export interface Candidate {
  readonly entry: PoolModel;
  readonly call: CallPrediction;
}

/** A step's candidates and the fastest and cheapest among them. */
export interface StepCandidates {
  readonly all: readonly Candidate[];
  readonly fastest: Candidate;
  readonly cheapest: Candidate;
}

/**
 * The pool models a model-calling step may use: narrowed by the step's `models` list and by
 * structured output when the step has an `output` schema.
 */
export function findCandidates(
  chain: string,
  step: StepNode,
  pool: ModelPool,
  estimate: StepEstimate,
): StepCandidates | undefined {
  const definition = step.definition;
  if (definition.kind !== 'llm') return undefined;
  const allowed = definition.models?.map((id) => pool.get(id)) ?? pool.models;
  const fitting = allowed.filter(
    (entry) => definition.output === undefined || entry.profile.capabilities.structuredOutput,
  );
  if (fitting.length === 0) {
    throw new ModelConfigError({
      reason: 'no-candidate',
      message: `Step \`${step.id}\` of chain \`${chain}\` has no model to run on: none of ${allowed.map((entry) => `\`${entry.id}\``).join(', ')} supports structured output`,
    });
  }
  const all = fitting.map((entry) => ({ entry, call: predictCall(entry.profile, estimate) }));
  const fastest = pickBest(
    all,
    (c) => c.call.durationMs,
    (c) => c.call.costUsd,
  );
  const cheapest = pickBest(
    all,
    (c) => c.call.costUsd,
    (c) => c.call.durationMs,
  );
  return { all, fastest, cheapest };
}

function pickBest(
  candidates: readonly Candidate[],
  primary: (candidate: Candidate) => number,
  tieBreak: (candidate: Candidate) => number,
): Candidate {
  return candidates.reduce((best, candidate) => {
    const difference = primary(candidate) - primary(best);
    return difference < 0 || (difference === 0 && tieBreak(candidate) < tieBreak(best))
      ? candidate
      : best;
  });
}
