import { endpointName } from '../models/pool';
import type { EstimateStore } from './estimate-store';
import type { Percentiles } from './model-stats';
import type { Problem, StepInfo, StepOption } from './problem';

/**
 * A model's spreads stand on what it measured once this many successful calls were kept: a p90
 * read from fewer calls is one of the two slowest and moves with every call. Below it, the
 * {@link defaultSpread}. Hedging waits for the learned p90 first token from the same count.
 */
export const minSpreadSamples = 20;

/**
 * The log-normal σ (of the logarithm) a model's first token and output speed are assumed to
 * have before {@link minSpreadSamples} calls were measured. Chosen, not measured: providers'
 * first tokens are heavy-tailed (a p99 around three times the p50 is σ 0.5, the figure the
 * bench's truth world uses), decoding speed varies much less once a call has started.
 */
export const defaultSpread = { firstToken: 0.5, speed: 0.15 } as const;

/** The standard normal's 90th percentile: a log-normal's p90 / p50 is e^(1.2816 σ). */
const z90 = 1.2815515655446004;

/** A model's first-token and decode spreads: σ of the log-normal of each. */
export interface ModelSpread {
  readonly firstToken: number;
  readonly speed: number;
  /** Whether either was measured (rather than the default). */
  readonly learned: boolean;
}

/**
 * The σ of a log-normal from two of its percentiles: ln(p90 / p50) / z(0.9). NaN when the
 * percentiles are missing or not in order.
 */
export function sigmaFromPercentiles(at: Pick<Percentiles, 'p50' | 'p90'>): number {
  const { p50, p90 } = at;
  if (!(Number.isFinite(p50) && Number.isFinite(p90) && p50 > 0 && p90 >= p50)) return Number.NaN;
  return Math.log(p90 / p50) / z90;
}

/**
 * What `history` measured of `model`'s spreads (at `endpoint`, for its first token, when the
 * endpoint has enough calls of its own), each falling back to {@link defaultSpread} until
 * {@link minSpreadSamples} successful calls measured it. A faster-than-median speed is a shorter decode,
 * so the speed's σ is the decode time's.
 */
export function modelSpread(
  history: EstimateStore | undefined,
  model: string,
  endpoint?: string,
): ModelSpread {
  const stats = history?.modelStats?.(model);
  const place = endpoint === undefined ? undefined : history?.endpointStats?.(model, endpoint);
  // Failed calls measure neither: each spread counts the successful calls that measured it.
  const firstFrom =
    place !== undefined && place.samples >= minSpreadSamples
      ? place.timeToFirstTokenMs
      : stats !== undefined && stats.measured.timeToFirstTokenMs >= minSpreadSamples
        ? stats.timeToFirstTokenMs
        : undefined;
  const first = firstFrom ? sigmaFromPercentiles(firstFrom) : Number.NaN;
  const speed =
    stats !== undefined && stats.measured.outputTokensPerSecond >= minSpreadSamples
      ? sigmaFromPercentiles(stats.outputTokensPerSecond)
      : Number.NaN;
  return {
    firstToken: Number.isFinite(first) ? first : defaultSpread.firstToken,
    speed: Number.isFinite(speed) ? speed : defaultSpread.speed,
    learned: Number.isFinite(first) || Number.isFinite(speed),
  };
}

/** Per problem source, each model's spread (a history does not change while a plan is made). */
const spreads = new WeakMap<object, Map<string, ModelSpread>>();

/** The spread of the model behind `option`, read once per problem source and model. */
export function spreadOf(problem: Problem, option: StepOption): ModelSpread | undefined {
  const entry = option.candidate?.entry;
  const model = option.model ?? entry?.id;
  if (model === undefined) return undefined;
  const endpoint = entry?.endpoint === undefined ? undefined : endpointName(entry);
  let byModel = spreads.get(problem.source);
  if (byModel === undefined) {
    byModel = new Map();
    spreads.set(problem.source, byModel);
  }
  const key = endpoint === undefined ? model : `${model}\u0000${endpoint}`;
  let spread = byModel.get(key);
  if (spread === undefined) {
    spread = modelSpread(problem.source.history, model, endpoint);
    byModel.set(key, spread);
  }
  return spread;
}

/**
 * The σ of one step option's duration, as a log-normal around its predicted (median) duration.
 * A call is its first token plus its decode: each part's σ is weighted by its share of the
 * predicted call and the two are added as independent variances (the log of a sum, to first
 * order). The calls of a map's waves and an agent's rounds are independent draws that add up,
 * so the step's σ shrinks with the square root of their number. Code steps and done steps have
 * none: their time is known (or not modelled).
 */
export function optionSigma(problem: Problem, info: StepInfo, option: StepOption): number {
  if (info.fixed?.state === 'done' || option.durationMs <= 0) return 0;
  const spread = spreadOf(problem, option);
  if (spread === undefined) return 0;
  const call = option.candidate?.call;
  let decodeShare = call && call.durationMs > 0 ? 1 - call.firstTokenMs / call.durationMs : 0;
  // A streamed answer counts up to its first token only (the perceived-latency problem).
  if (option.firstTokenMs !== undefined && option.durationMs - option.firstTokenMs < 1e-6)
    decodeShare = 0;
  const first = (1 - decodeShare) * spread.firstToken;
  const decode = decodeShare * spread.speed;
  const items = info.step.kind === 'map' ? info.estimate.items : 1;
  const waves = Math.max(1, Math.ceil(items / (info.step.concurrency ?? 1)));
  const draws = waves * Math.max(1, info.estimate.calls ?? 1);
  return Math.sqrt(first * first + decode * decode) / Math.sqrt(draws);
}

/** A hidden field of the plan rather than a `WeakMap` entry (see `memoryOf` in `refix-problem.ts`). */
const learnedOf = Symbol('hotpath.learnedSpreads');

interface Learning {
  [learnedOf]?: () => boolean;
}

/** Keeps how to tell whether a plan's models have learned spreads (for `explain()`). */
export function rememberSpreads(plan: object, problem: Problem, choice: Int32Array): void {
  const learned = () =>
    problem.options.some((list, i) => {
      const option = list[choice[i]!]!;
      return problem.infos[i]!.fixed === undefined && spreadOf(problem, option)?.learned === true;
    });
  Object.defineProperty(plan, learnedOf, { value: learned, configurable: true });
}

/** Whether a pending step of `plan` runs on a model whose spread was measured. */
export function hasLearnedSpreads(plan: object): boolean {
  return (plan as Learning)[learnedOf]?.() ?? false;
}
