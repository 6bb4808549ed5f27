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
 * The pool models a model-calling step may use: narrowed by the step's `models` list, by
 * structured output when the step has an `output` schema, by tool calling when it
 * `requires: { tools: true }`, and by the context window against the expected tokens. Throws a
 * `ModelConfigError` naming the step and what each model lacks when none is left.
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
  const all: Candidate[] = [];
  for (const entry of allowed) {
    if (misfit(step, entry, estimate) === undefined) {
      all.push({ entry, call: predictCall(entry.profile, estimate) });
    }
  }
  if (all.length === 0) {
    const misfits = allowed.map((entry) => [entry, misfit(step, entry, estimate)] as const);
    const reasons = new Set(misfits.map(([, why]) => why?.none));
    const names = allowed.map((entry) => `\`${entry.id}\``).join(', ');
    const detail =
      reasons.size === 1
        ? `none of ${names} ${[...reasons][0]}`
        : misfits.map(([entry, why]) => `\`${entry.id}\` ${why?.one}`).join('; ');
    throw new ModelConfigError({
      reason: 'no-candidate',
      stepId: step.id,
      message: `Step \`${step.id}\` of chain \`${chain}\` has no model to run on: ${detail}`,
    });
  }
  let fastest = all[0]!;
  let cheapest = all[0]!;
  for (const candidate of all) {
    const { durationMs, costUsd } = candidate.call;
    const faster = durationMs - fastest.call.durationMs;
    if (faster < 0 || (faster === 0 && costUsd < fastest.call.costUsd)) fastest = candidate;
    const cheaper = costUsd - cheapest.call.costUsd;
    if (cheaper < 0 || (cheaper === 0 && durationMs < cheapest.call.durationMs))
      cheapest = candidate;
  }
  return { all, fastest, cheapest };
}

/** Why a model cannot run the step, phrased after `none of <models>` and after one model's name. */
interface Misfit {
  readonly none: string;
  readonly one: string;
}

function misfit(step: StepNode, entry: PoolModel, estimate: StepEstimate): Misfit | undefined {
  const definition = step.definition;
  if (definition.kind !== 'llm') return undefined;
  const { capabilities, contextWindow } = entry.profile;
  if (definition.output !== undefined && !capabilities.structuredOutput) {
    return { none: 'supports structured output', one: 'lacks structured output' };
  }
  if (definition.requires?.tools && !capabilities.tools) {
    return { none: 'supports tool calls', one: 'lacks tool calls' };
  }
  const tokens = Math.round(estimate.inputTokens + estimate.outputTokens);
  if (tokens > contextWindow) {
    const expected = `the ~${tokens.toLocaleString('en-US')} tokens expected`;
    return {
      none: `has a context window for ${expected}`,
      one: `has a ${contextWindow.toLocaleString('en-US')}-token window, short of ${expected}`,
    };
  }
  return undefined;
}
