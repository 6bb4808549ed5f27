import type { ChainDefinition, Lane, StepNode } from '../chain';
import type { ModelPool } from '../models/pool';
import { type Candidate, findCandidates, type StepCandidates } from './candidates';
import { layoutOf } from './chain-layout';
import type { EstimateStore } from './estimate-store';
import { learnedPool } from './learned-pool';
import type { StepState } from './plan';
import {
  estimateStep,
  predictCall,
  predictStepMs,
  predictStepUsd,
  type StepEstimate,
} from './predict';
import { type PricedPool, pricePoolAt } from './price-pool';

/** One way to run a step: a model (none for code) with its predicted duration and cost. */
export interface StepOption {
  readonly candidate?: Candidate;
  /** The model id: the candidate's, or the one a started step runs on. */
  readonly model?: string;
  readonly durationMs: number;
  readonly costUsd: number;
  /** From the step's start to its (last call's) first output token: what a streamed answer waits. */
  readonly firstTokenMs?: number;
  /** For a map: one item's duration (a pipelined map schedules its items one by one). */
  readonly itemMs?: number;
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
  /**
   * The first pending position: every step before it has started, so its times are fixed and
   * the passes over a re-plan start here.
   */
  readonly pendingFrom: number;
  /** Whether some map is pipelined: its items then overlap their producer in the plan's times. */
  readonly pipelined: boolean;
  /** The price windows every model was priced in (at `startAt + releaseMs`); empty without. */
  readonly prices: PricedPool['prices'];
  /** Names those windows: a re-plan in other windows builds the problem again. */
  readonly priceKey: string;
  /** What it was built from: a re-plan with the same chain, pool, input and history reuses it. */
  readonly source: ProblemSource;
}

/** What {@link buildProblem} reads. */
export interface ProblemSource {
  readonly chain: ChainDefinition;
  readonly pool: ModelPool;
  readonly input?: unknown;
  readonly history?: EstimateStore;
  readonly fixed?: ReadonlyMap<string, FixedStep>;
  readonly releaseMs?: number;
  /**
   * The calendar instant (Unix ms) of the chain's time 0: calls are priced at the windows in
   * force at `startAt + releaseMs`. Without it, at the base prices.
   */
  readonly startAt?: number;
  /** Models chosen elsewhere, by step id (a coordinator's plan for its workers' items). */
  readonly pinned?: Readonly<Record<string, string>>;
}

/** The index of `model`'s option in a step's `list`, or of the cheapest (the last) without one. */
export function optionOfModel(list: readonly StepOption[], model: string | undefined): number {
  for (let o = 0; o < list.length; o++) if (list[o]!.model === model) return o;
  return list.length - 1;
}

/** Predicts every step on every candidate and lays the chain out for the solvers. */
export function buildProblem(source: ProblemSource): Problem {
  const { chain, input, history, fixed } = source;
  const releaseMs = source.releaseMs ?? 0;
  // Learned speeds first (a file store's measurements beat the catalog), then the hour's prices.
  const priced = pricePoolAt(
    learnedPool(source.pool, history),
    instantOf(source.startAt, releaseMs),
  );
  const pool = priced.pool;
  const past = history ? { history, chain: chain.name } : undefined;
  const layout = layoutOf(chain.steps);
  const { steps, index, needs, pipelined } = layout;
  const count = steps.length;
  const infos: StepInfo[] = new Array(count);
  const options: (readonly StepOption[])[] = new Array(count);
  const unpinned: (readonly StepOption[])[] = new Array(count);
  const fixedStart = new Float64Array(count).fill(Number.NaN);
  const arrays = { infos, options, unpinned };
  const at = { chain: chain.name, pool, history, releaseMs, pinned: source.pinned };
  // Plain loops and top-level helpers over the layout's copies of the steps: this runs for every
  // step before every run.
  for (let position = 0; position < count; position++) {
    const step = steps[position]!;
    const state = fixed?.get(step.id);
    if (state) fixedStart[position] = state.startMs;
    predictPosition(at, arrays, position, step, estimateStep(step, input, past), state);
  }
  return {
    infos,
    index,
    needs,
    options,
    unpinned,
    fixedStart,
    releaseMs,
    pendingFrom: firstPending(fixedStart),
    pipelined,
    prices: priced.prices,
    priceKey: priced.key,
    source,
  };
}

/** What {@link predictPosition} reads, the same for every step of a problem. */
export interface PredictionContext {
  readonly chain: string;
  /** Learned and priced: the pool the problem predicts on. */
  readonly pool: ModelPool;
  readonly history: EstimateStore | undefined;
  readonly releaseMs: number;
  readonly pinned?: Readonly<Record<string, string>>;
}

/** A problem's per-step arrays, as {@link predictPosition} writes them. */
export interface ProblemArrays {
  readonly infos: StepInfo[];
  readonly options: (readonly StepOption[])[];
  readonly unpinned: (readonly StepOption[])[];
}

/**
 * Predicts the step at `position` on its candidates (started as `state`: its one option) into
 * `arrays`: its info, its options (pinned to a lane or a model) and its unpinned options.
 * `candidates`: the step's on `at.pool`, when already found.
 */
export function predictPosition(
  at: PredictionContext,
  arrays: ProblemArrays,
  position: number,
  step: StepNode,
  estimate: StepEstimate,
  state: FixedStep | undefined,
  candidates = findCandidates(at.chain, step, at.pool, estimate),
): void {
  const { chain, pool, history } = at;
  const lane = step.definition.kind === 'llm' ? step.definition.lane : undefined;
  const info: StepInfo = { step, estimate, candidates, lane, fixed: state };
  arrays.infos[position] = info;
  if (state) {
    const option = [fixedOption(info, state, at.releaseMs, pool, chain, history)];
    arrays.options[position] = option;
    arrays.unpinned[position] = option;
    return;
  }
  const waves = wavesOf(info);
  const best = candidates
    ? frontierOptions(info, candidates.all, chain, history, waves)
    : [optionOf(info, undefined, chain, history, waves)];
  arrays.unpinned[position] = best;
  const chosen = candidates && pinnedCandidate(candidates, at.pinned?.[step.id]);
  if (chosen) {
    arrays.options[position] = [optionOf(info, chosen, chain, history, waves)];
  } else if (lane && candidates) {
    const pinned = lane === 'fast' ? candidates.fastest : candidates.cheapest;
    arrays.options[position] = [optionOf(info, pinned, chain, history, waves)];
  } else {
    arrays.options[position] = best;
  }
}

/**
 * `problem` with every pending step free to choose its model on all its candidates, fastest
 * first, the ones another beats on time and money at the solve's prices included: past a price
 * change such a model may be the cheaper one. Steps pinned to a lane or a model keep theirs.
 */
export function widenOptions(problem: Problem): Problem {
  const { infos, source } = problem;
  let options: (readonly StepOption[])[] | undefined;
  for (let i = problem.pendingFrom; i < infos.length; i++) {
    const info = infos[i]!;
    const { candidates } = info;
    if (info.fixed || info.lane || candidates === undefined) continue;
    if (pinnedCandidate(candidates, source.pinned?.[info.step.id])) continue;
    if (candidates.all.length <= problem.options[i]!.length) continue;
    const waves = wavesOf(info);
    const all = candidates.all.map((candidate) =>
      optionOf(info, candidate, source.chain.name, source.history, waves),
    );
    options ??= problem.options.slice();
    // A stable sort: equal times keep the candidates' order.
    options[i] = all.sort((a, b) => a.durationMs - b.durationMs);
  }
  return options === undefined ? problem : { ...problem, options };
}

/** The candidate a step was pinned to, when it is one of the step's candidates here. */
function pinnedCandidate(candidates: StepCandidates, model: string | undefined) {
  return model === undefined ? undefined : candidates.all.find((c) => c.entry.id === model);
}

/** The calendar instant a problem prices its calls at. */
export function instantOf(startAt: number | undefined, releaseMs: number): number | undefined {
  return startAt === undefined ? undefined : startAt + releaseMs;
}

/**
 * The first position whose step has not started (the count when every step has), looking from
 * `from` (every step before it started).
 */
export function firstPending(fixedStart: Float64Array, from = 0): number {
  let position = from;
  while (position < fixedStart.length && !Number.isNaN(fixedStart[position]!)) position++;
  return position;
}

/** A step on a candidate (none for code); measured durations replace predicted ones. */
function optionOf(
  info: StepInfo,
  candidate: Candidate | undefined,
  chain: string,
  history: EstimateStore | undefined,
  waves = wavesOf(info),
): StepOption {
  const measured = measuredMs(info, candidate, chain, history);
  const profile = candidate?.entry.profile;
  const call = candidate?.call;
  const { step, estimate } = info;
  const durationMs = predictStepMs(step, profile, estimate, measured, call);
  return makeOption(candidate, durationMs, predictStepUsd(step, profile, estimate, call), waves);
}

function measuredMs(
  info: StepInfo,
  candidate: Candidate | undefined,
  chain: string,
  history: EstimateStore | undefined,
): number | undefined {
  if (history === undefined) return undefined;
  return history.get({ chain, stepId: info.step.id, model: candidate?.entry.id })?.durationMs;
}

function makeOption(
  candidate: Candidate | undefined,
  durationMs: number,
  costUsd: number,
  waves: number,
): StepOption {
  const call = candidate?.call;
  const decodeMs = call ? call.durationMs - call.firstTokenMs : 0;
  return {
    candidate,
    model: candidate?.entry.id,
    durationMs,
    costUsd,
    firstTokenMs: Math.max(0, durationMs - decodeMs),
    itemMs: durationMs / waves,
  };
}

/** Scratch for {@link frontierOptions}: a step has a handful of candidates. */
let scratchMs = new Float64Array(8);
let scratchUsd = new Float64Array(8);
let scratchOrder = new Int32Array(8);

/**
 * The options of the candidates that no other candidate beats on both time and money, fastest
 * first: the candidates are predicted and sorted as numbers (by time, then cost; a stable
 * insertion sort), and options are made for the ones kept, each cheaper than every faster one.
 */
function frontierOptions(
  info: StepInfo,
  all: readonly Candidate[],
  chain: string,
  history: EstimateStore | undefined,
  waves: number,
): StepOption[] {
  const n = all.length;
  if (n > scratchOrder.length) {
    scratchMs = new Float64Array(n);
    scratchUsd = new Float64Array(n);
    scratchOrder = new Int32Array(n);
  }
  const ms = scratchMs;
  const usd = scratchUsd;
  const order = scratchOrder;
  const { step, estimate } = info;
  for (let k = 0; k < n; k++) {
    const candidate = all[k]!;
    const { profile } = candidate.entry;
    const measured = measuredMs(info, candidate, chain, history);
    ms[k] = predictStepMs(step, profile, estimate, measured, candidate.call);
    usd[k] = predictStepUsd(step, profile, estimate, candidate.call);
    let j = k - 1;
    while (j >= 0 && (ms[k]! - ms[order[j]!]! || usd[k]! - usd[order[j]!]!) < 0) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = k;
  }
  let kept = 1;
  for (let k = 1; k < n; k++) {
    if (usd[order[k]!]! < usd[order[kept - 1]!]!) order[kept++] = order[k]!;
  }
  const options: StepOption[] = new Array(kept);
  for (let k = 0; k < kept; k++) {
    const c = order[k]!;
    options[k] = makeOption(all[c], ms[c]!, usd[c]!, waves);
  }
  return options;
}

/** A step's waves at its own concurrency: a pipelined map's items take one wave's time each. */
function wavesOf(info: StepInfo): number {
  const items = info.step.kind === 'map' ? info.estimate.items : 1;
  return Math.max(1, Math.ceil(items / (info.step.concurrency ?? 1)));
}

/**
 * A started step's one option: measured when done; when running, the prediction on its model
 * (which may be a fallback outside the candidates), but never ending before now.
 */
export function fixedOption(
  info: StepInfo,
  state: FixedStep,
  releaseMs: number,
  pool: ModelPool,
  chain: string,
  history: EstimateStore | undefined,
): StepOption {
  let candidate: Candidate | undefined;
  const model = state.model;
  if (model !== undefined) {
    candidate = findCandidate(info.candidates, model);
    if (candidate === undefined) {
      const entry = pool.get(model);
      candidate = { entry, call: predictCall(entry.profile, info.estimate) };
    }
  }
  const predicted = optionOf(info, candidate, chain, history);
  const { firstTokenMs, itemMs } = predicted;
  if (state.state === 'done') {
    const durationMs = Math.max(0, (state.endMs ?? state.startMs) - state.startMs);
    return {
      candidate,
      model: predicted.model,
      durationMs,
      costUsd: state.costUsd ?? 0,
      firstTokenMs,
      itemMs,
    };
  }
  const durationMs = Math.max(predicted.durationMs, releaseMs - state.startMs);
  return {
    candidate,
    model: predicted.model,
    durationMs,
    costUsd: predicted.costUsd,
    firstTokenMs,
    itemMs,
  };
}

/** The candidate on `model`, if it is one. */
function findCandidate(candidates: StepCandidates | undefined, model: string) {
  if (candidates === undefined) return undefined;
  for (const candidate of candidates.all) if (candidate.entry.id === model) return candidate;
  return undefined;
}

/** The index of each step's fastest option (0) or cheapest option (the last). */
export function uniformChoice(
  options: readonly (readonly StepOption[])[],
  pick: 'fastest' | 'cheapest',
): Int32Array {
  const choice = new Int32Array(options.length);
  if (pick === 'cheapest')
    for (let i = 0; i < options.length; i++) choice[i] = options[i]!.length - 1;
  return choice;
}

/** Fastest first without dominated options (slower and no cheaper), as the solvers expect. */
export function optionFrontier(options: readonly StepOption[]): StepOption[] {
  const sorted = [...options].sort((a, b) => a.durationMs - b.durationMs || a.costUsd - b.costUsd);
  const kept: StepOption[] = [];
  for (const option of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || option.costUsd < last.costUsd) kept.push(option);
  }
  return kept;
}
