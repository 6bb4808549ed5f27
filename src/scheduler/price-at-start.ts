import { computeCost as priceUsage } from '../models/cost';
import type { ModelPool } from '../models/pool';
import { hasPriceWindows, priceLevels, pricesAt } from '../models/price-windows';
import type { ModelPricing } from '../models/profile';
import type { Problem, StepOption } from './problem';
import { computeCost, computeTimes, createTiming } from './timing';

/**
 * The instant (Unix ms) the first model of `pool` with price windows changes price after
 * `epochMs`; `Infinity` when none does.
 */
export function firstPriceChange(pool: ModelPool, epochMs: number): number {
  let first = Number.POSITIVE_INFINITY;
  for (const entry of pool.models) {
    if (hasPriceWindows(entry.profile.pricing))
      first = Math.min(first, pricesAt(entry.profile.pricing, epochMs).untilMs);
  }
  return first;
}

/**
 * Whether some plan of `problem` may run past a price change of `pool`: each step on its slowest
 * option (pinned or not), started once what it needs has ended, the last one ends after the
 * first change. Plans time steps by what they need and nothing else, so no plan ends later. A
 * bound that costs one pass over the steps, so that plans far from a change pay nothing more
 * (summing the slowest options instead put a 1,000-step chain of an hour "near" a change for
 * hours before it, and each of its re-plans took 10 ms instead of 0.5).
 */
export function mayCrossPriceChange(problem: Problem, startAt: number, pool: ModelPool): boolean {
  const change = firstPriceChange(pool, startAt + problem.releaseMs);
  if (!Number.isFinite(change)) return false;
  const { fixedStart, needs, options, unpinned, releaseMs } = problem;
  const end = new Float64Array(options.length);
  let latest = releaseMs;
  for (let i = 0; i < options.length; i++) {
    let begin = fixedStart[i]!;
    if (Number.isNaN(begin)) {
      begin = releaseMs;
      for (const need of needs[i]!) if (end[need]! > begin) begin = end[need]!;
    }
    const own = options[i]!;
    const all = unpinned[i]!;
    end[i] = begin + Math.max(own[own.length - 1]!.durationMs, all[all.length - 1]!.durationMs);
    if (end[i]! > latest) latest = end[i]!;
  }
  return startAt + latest > change;
}

/** One item of a step (all its calls) on an option whose model's prices change by the hour. */
export interface ItemPricing {
  /** The pool entry's pricing, windows included (the solver's was priced flat at the start). */
  readonly pricing: ModelPricing;
  /** One item's calls at the prices in force at `epochMs` (Unix ms). */
  readonly itemAt: (epochMs: number) => number;
  /** One item's calls at the lowest prices of any window (a bound for the search). */
  readonly lowestItem: number;
}

/** How one item of step `i` on `option` is priced over time; `undefined` without windows. */
export function itemPricing(
  problem: Problem,
  i: number,
  option: StepOption,
  pool: ModelPool,
): ItemPricing | undefined {
  const model = option.model;
  if (model === undefined) return undefined;
  const endpoint = option.candidate?.entry.endpoint;
  const entry =
    pool.models.find((other) => other.id === model && other.endpoint === endpoint) ??
    pool.get(model);
  const pricing = entry.profile.pricing;
  if (!hasPriceWindows(pricing)) return undefined;
  const { estimate } = problem.infos[i]!;
  const usage = {
    inputTokens: estimate.inputTokens,
    cachedInputTokens: estimate.cachedInputTokens ?? 0,
    outputTokens: estimate.outputTokens,
    reasoningTokens: 0,
  };
  const calls = estimate.calls ?? 1;
  let lowestItem = Number.POSITIVE_INFINITY;
  for (const level of priceLevels(pricing)) {
    lowestItem = Math.min(lowestItem, priceUsage(level, usage) * calls);
  }
  return {
    pricing,
    itemAt: (epochMs) => priceUsage(pricesAt(pricing, epochMs).pricing, usage) * calls,
    lowestItem,
  };
}

/** Prices a step's option at the instant it starts (see {@link createStartPricer}). */
export interface StartPricer {
  /** Step `i` on `option` when it starts `startMs` after the chain's time 0. */
  costAt(i: number, option: StepOption, startMs: number): number;
  /** The least step `i` on `option` costs at any start: a bound for the search. */
  lowest(i: number, option: StepOption): number;
}

/**
 * Prices the options of `problem`'s steps at the window in force when they start, the chain's
 * time 0 being the instant `startAt`: a step at its start, a map wave by wave (each wave's items
 * at the window its start falls in). Started steps, code, models without windows and the steps
 * listed in `keep` (maps whose items a deferral already priced) cost what their option says.
 */
export function createStartPricer(
  problem: Problem,
  startAt: number,
  pool: ModelPool,
  keep?: ReadonlySet<string>,
): StartPricer {
  const known = new Map<StepOption, ItemPricing | null>();
  const pricingOf = (i: number, option: StepOption): ItemPricing | undefined => {
    const info = problem.infos[i]!;
    if (info.fixed || info.step.definition.kind !== 'llm' || keep?.has(info.step.id)) {
      return undefined;
    }
    let priced = known.get(option);
    if (priced === undefined) {
      priced = itemPricing(problem, i, option, pool) ?? null;
      known.set(option, priced);
    }
    return priced ?? undefined;
  };
  return {
    costAt(i, option, startMs) {
      const priced = pricingOf(i, option);
      if (priced === undefined) return option.costUsd;
      const info = problem.infos[i]!;
      const { items } = info.estimate;
      const costUsd =
        info.step.kind === 'map'
          ? mapCostByWaves(items, option.itemMs ?? option.durationMs, option.durationMs, {
              startEpochMs: startAt + startMs,
              endEpochMs: startAt + (startMs + option.durationMs),
              ...priced,
            })
          : priced.itemAt(startAt + startMs) * items;
      return Math.abs(costUsd - option.costUsd) <= 1e-15 ? option.costUsd : costUsd;
    },
    lowest(i, option) {
      const priced = pricingOf(i, option);
      if (priced === undefined) return option.costUsd;
      return Math.min(option.costUsd, priced.lowestItem * problem.infos[i]!.estimate.items);
    },
  };
}

/**
 * The solved problem with each chosen option priced at the window in force when its calls are
 * predicted to start, for a plan that runs past a price change (the solver priced every call at
 * the chain's start): a step at its start, a map wave by wave (each wave's items at the window
 * its start falls in). Steps listed in `keep` (maps whose items a deferral already priced) stay
 * as they are. `undefined` when no chosen option's price moves.
 *
 * An agent's rounds are all priced at the step's start, and a call that starts in one window and
 * ends in the next at its start, as providers bill.
 */
export function priceAtStarts(
  problem: Problem,
  choice: Int32Array,
  startAt: number,
  pool: ModelPool,
  keep?: ReadonlySet<string>,
  pricer = createStartPricer(problem, startAt, pool, keep),
): Problem | undefined {
  const timing = createTiming(problem);
  computeTimes(problem, choice, timing);
  let options: Problem['options'] | undefined;
  for (let i = 0; i < problem.infos.length; i++) {
    const option = problem.options[i]![choice[i]!]!;
    const costUsd = pricer.costAt(i, option, timing.start[i]!);
    if (costUsd === option.costUsd) continue;
    options ??= problem.options.slice();
    const list = options[i]!.slice();
    list[choice[i]!] = { ...option, costUsd };
    (options as (typeof options)[number][])[i] = list;
  }
  return options === undefined ? undefined : { ...problem, options };
}

/** The total cost of `choice` with each step priced at its start (see {@link priceAtStarts}). */
export function costAtStarts(
  problem: Problem,
  choice: Int32Array,
  startAt: number,
  pool: ModelPool,
  keep?: ReadonlySet<string>,
): number {
  return computeCost(priceAtStarts(problem, choice, startAt, pool, keep) ?? problem, choice);
}

/**
 * A map's items at the window each wave starts in: the waves (of the concurrency's items) start
 * one after another, `itemMs` apart, so the items before each price change are counted by the
 * waves that start before it.
 */
function mapCostByWaves(
  items: number,
  itemMs: number,
  durationMs: number,
  span: ItemPricing & { startEpochMs: number; endEpochMs: number },
): number {
  const waves = itemMs > 0 ? Math.max(1, Math.round(durationMs / itemMs)) : 1;
  const perWave = Math.ceil(items / waves);
  let costUsd = 0;
  let counted = 0;
  let at = span.startEpochMs;
  while (counted < items) {
    const until = pricesAt(span.pricing, at).untilMs;
    // The waves that start before `until` (all the rest when it is past the step's end).
    const before =
      until >= span.endEpochMs || !Number.isFinite(until)
        ? items
        : Math.min(items, Math.ceil((until - span.startEpochMs) / itemMs) * perWave);
    costUsd += (before - counted) * span.itemAt(at);
    counted = Math.max(counted, before);
    at = until;
  }
  return costUsd;
}
