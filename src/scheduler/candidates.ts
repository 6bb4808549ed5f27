import type { StepNode } from '../chain';
import { ModelConfigError } from '../errors';
import { canonicalModelId } from '../models/catalog';
import { endpointsOf, type ModelPool, type PoolModel } from '../models/pool';
import { describePlaces, formatRegions, inRegions } from '../models/regions';
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
  const listed = definition.models?.flatMap((id) => listedEntries(pool, id)) ?? pool.models;
  const regions = definition.regions;
  const allowed =
    regions === undefined ? listed : listed.filter((entry) => inRegions(entry, regions));
  if (allowed.length === 0) throw outsideRegions(chain, step, pool);
  const all: Candidate[] = [];
  for (const entry of allowed) {
    if (misfit(step, entry, estimate) === undefined) {
      all.push({ entry, call: predictCall(entry.profile, estimate) });
    }
  }
  if (all.length === 0) {
    const misfits = allowed.map((entry) => [entry, misfit(step, entry, estimate)] as const);
    const reasons = new Set(misfits.map(([, why]) => why?.none));
    const names = [...new Set(allowed.map((entry) => `\`${entry.id}\``))].join(', ');
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
  return withExtremes(all);
}

/**
 * `candidates` on `pool`, where only the models in `changed` run at other speeds than on the
 * pool they were found on (see `speed-pool.ts`): the calls on those models are predicted again
 * on their entries in `pool`, the others kept. The same candidates as {@link findCandidates} on
 * `pool` gives: what makes a model fit a step (capabilities, context window, place) does not
 * depend on its speed.
 */
export function respeedCandidates(
  candidates: StepCandidates,
  pool: ModelPool,
  changed: ReadonlySet<string>,
  estimate: StepEstimate,
): StepCandidates {
  const all = candidates.all.map((candidate) => {
    const { id, endpoint } = candidate.entry;
    if (!changed.has(id)) return candidate;
    const entry = pool.models.find((other) => other.id === id && other.endpoint === endpoint)!;
    return { entry, call: predictCall(entry.profile, estimate) };
  });
  return withExtremes(all);
}

/** `all` with its fastest and its cheapest candidate (the first of equals). */
function withExtremes(all: readonly Candidate[]): StepCandidates {
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

/**
 * The entries of a model a step lists: its endpoints in the pool. An id the pool does not know
 * throws, naming the known ones; one that residency left out of the pool's view gives none.
 */
function listedEntries(pool: ModelPool, id: string): readonly PoolModel[] {
  const found = endpointsOf(pool, id);
  if (found.length > 0) return found;
  const outside = pool.everywhere?.some(
    (entry) => canonicalModelId(entry.id) === canonicalModelId(id),
  );
  return outside ? [] : [pool.get(id)];
}

/**
 * The error of a step whose models are all outside the regions it may run in: names the step,
 * the regions allowed (the runtime's and run's, then the step's) and where its models are.
 */
function outsideRegions(chain: string, step: StepNode, pool: ModelPool): ModelConfigError {
  const definition = step.definition;
  const own = definition.kind === 'llm' ? definition.regions : undefined;
  const layers = [...(pool.regions ?? []), ...(own ? [own] : [])];
  const everywhere = pool.everywhere ?? pool.models;
  const ids = definition.kind === 'llm' ? definition.models : undefined;
  const wanted = ids
    ? everywhere.filter((entry) =>
        ids.some((id) => canonicalModelId(id) === canonicalModelId(entry.id)),
      )
    : everywhere;
  return new ModelConfigError({
    reason: 'no-candidate',
    stepId: step.id,
    message: `Step \`${step.id}\` of chain \`${chain}\` may run only in the regions ${layers.map(formatRegions).join(', then ')}, and none of its models is there: ${describePlaces(wanted)}`,
  });
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
