import type { ChainDefinition, Lane, StepNode } from '../chain';
import type { ModelPool } from '../models/pool';
import { type Candidate, findCandidates, type StepCandidates } from './candidates';
import type { EstimateStore } from './estimate-store';
import type { StepState } from './plan';
import { estimateStep, predictCall, predictStep, type StepEstimate } from './predict';

/** One way to run a step: a model (none for code) with its predicted duration and cost. */
export interface StepOption {
  readonly candidate?: Candidate;
  /** The model id: the candidate's, or the one a started step runs on. */
  readonly model?: string;
  readonly durationMs: number;
  readonly costUsd: number;
}

/** A step as it stands in a re-plan: `endMs` and `costUsd` are measured for done steps. */
export interface FixedStep {
  readonly state: Exclude<StepState, 'pending'>;
  readonly startMs: number;
  readonly endMs?: number;
  readonly costUsd?: number;
  readonly model?: string;
}

/** Everything the solvers need about one step. */
export interface StepInfo {
  readonly step: StepNode;
  readonly estimate: StepEstimate;
  readonly candidates: StepCandidates | undefined;
  readonly lane?: Lane;
  readonly fixed?: FixedStep;
}

/**
 * A chain as arrays indexed by topological position, so that the solvers evaluate thousands of
 * assignments without maps or allocations. `options[i]` runs fastest first with dominated models
 * (slower and no cheaper than another) left out, so the last option is the cheapest.
 */
export interface Problem {
  readonly infos: readonly StepInfo[];
  readonly index: ReadonlyMap<string, number>;
  readonly needs: readonly (readonly number[])[];
  readonly options: readonly (readonly StepOption[])[];
  /** Every candidate of each step, pins ignored: the baselines use these. */
  readonly unpinned: readonly (readonly StepOption[])[];
  /** Start of done and running steps; NaN for pending ones. */
  readonly fixedStart: Float64Array;
  /** Pending steps start no earlier than this (now, in a re-plan). */
  readonly releaseMs: number;
}

/** What {@link buildProblem} reads. */
export interface ProblemSource {
  readonly chain: ChainDefinition;
  readonly pool: ModelPool;
  readonly input?: unknown;
  readonly history?: EstimateStore;
  readonly fixed?: ReadonlyMap<string, FixedStep>;
  readonly releaseMs?: number;
}

/** Predicts every step on every candidate and lays the chain out for the solvers. */
export function buildProblem(source: ProblemSource): Problem {
  const { chain, pool, input, history, fixed } = source;
  const past = history ? { history, chain: chain.name } : undefined;
  const index = new Map(chain.steps.map((step, position) => [step.id, position]));
  const infos: StepInfo[] = [];
  const options: StepOption[][] = [];
  const unpinned: StepOption[][] = [];
  const fixedStart = new Float64Array(chain.steps.length).fill(Number.NaN);
  chain.steps.forEach((step, position) => {
    const estimate = estimateStep(step, input, past);
    const candidates = findCandidates(chain.name, step, pool, estimate);
    const lane = step.definition.kind === 'llm' ? step.definition.lane : undefined;
    const state = fixed?.get(step.id);
    infos.push({ step, estimate, candidates, lane, fixed: state });
    // Measured durations replace predictions: per model for calls, per step for plain code.
    const measured = (model?: string) =>
      history?.get({ chain: chain.name, stepId: step.id, model })?.durationMs;
    const optionOf = (candidate?: Candidate): StepOption => ({
      candidate,
      model: candidate?.entry.id,
      ...predictStep(step, candidate?.entry.profile, estimate, measured(candidate?.entry.id)),
    });
    const all = candidates ? candidates.all.map(optionOf) : [optionOf()];
    if (state) {
      fixedStart[position] = state.startMs;
      const optionFor = (model?: string) => {
        if (model === undefined) return optionOf();
        const entry = pool.get(model);
        const known = candidates?.all.find((c) => c.entry.id === model);
        return optionOf(known ?? { entry, call: predictCall(entry.profile, estimate) });
      };
      const option = [fixedOption(state, source.releaseMs ?? 0, optionFor)];
      options.push(option);
      unpinned.push(option);
      return;
    }
    unpinned.push(frontier(all));
    if (lane && candidates) {
      const pinned = lane === 'fast' ? candidates.fastest : candidates.cheapest;
      options.push([optionOf(pinned)]);
    } else {
      options.push(frontier(all));
    }
  });
  const needs = chain.steps.map((step) => step.needs.map((id) => index.get(id)!));
  return { infos, index, needs, options, unpinned, fixedStart, releaseMs: source.releaseMs ?? 0 };
}

/**
 * A started step's one option: measured when done; when running, the prediction on its model
 * (which may be a fallback outside the candidates), but never ending before now.
 */
function fixedOption(
  state: FixedStep,
  releaseMs: number,
  optionFor: (model?: string) => StepOption,
): StepOption {
  const predicted = optionFor(state.model);
  if (state.state === 'done') {
    const durationMs = Math.max(0, (state.endMs ?? state.startMs) - state.startMs);
    return { ...predicted, durationMs, costUsd: state.costUsd ?? 0 };
  }
  return { ...predicted, durationMs: Math.max(predicted.durationMs, releaseMs - state.startMs) };
}

/** The options no other option beats on both time and money, fastest first. */
function frontier(options: readonly StepOption[]): StepOption[] {
  const sorted = [...options].sort((a, b) => a.durationMs - b.durationMs || a.costUsd - b.costUsd);
  const kept: StepOption[] = [];
  for (const option of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || option.costUsd < last.costUsd) kept.push(option);
  }
  return kept;
}

/** The index of each step's fastest option (0) or cheapest option (the last). */
export function uniformChoice(
  options: readonly (readonly StepOption[])[],
  pick: 'fastest' | 'cheapest',
): Int32Array {
  return Int32Array.from(options, (list) => (pick === 'fastest' ? 0 : list.length - 1));
}
