import type { PlanTotals } from './plan';
import { type Problem, uniformChoice } from './problem';
import {
  computeCost,
  computeTimes,
  computeTimesFrom,
  createTiming,
  scratchTiming,
  scratchZeros,
  type Timing,
  toleranceMs,
  toleranceUsd,
} from './timing';

/** Assignments of at most this many are all looked at: the frontier is then exact. */
export const exhaustiveFrontierLimit = 4096;

/** An assignment the search looked at, with its totals. */
export interface SeenPlan extends PlanTotals {
  /** The assignment, made on demand (a 1,000-step search sees thousands of plans). */
  choice(): Int32Array;
}

/**
 * The plans the search sees around `choice`: every assignment when there are at most
 * {@link exhaustiveFrontierLimit}; otherwise the all-fast and all-cheap plans and every plan one
 * step away from `choice`.
 */
export function seenPlans(problem: Problem, choice: Int32Array): SeenPlan[] {
  return plansAround(problem, choice, false);
}

/**
 * {@link seenPlans}, or with `prune` without the plans one step away that `choice` itself is
 * at least as fast and as cheap as: they sort after it and cost no less, so they are never on
 * the frontier (nor is a plan that beats `choice` among them), and the frontier of the rest is
 * the same points.
 */
function plansAround(problem: Problem, choice: Int32Array, prune: boolean): SeenPlan[] {
  const { options } = problem;
  const timing = createTiming(problem);
  const score = (pick: Int32Array): SeenPlan => ({
    choice: () => pick,
    durationMs: computeTimes(problem, pick, timing),
    costUsd: computeCost(problem, pick),
  });
  let count = 1;
  for (const list of options) {
    count *= list.length;
    if (count > exhaustiveFrontierLimit) break;
  }
  const seen: SeenPlan[] = [];
  if (count <= exhaustiveFrontierLimit) {
    const pick = new Int32Array(options.length);
    for (;;) {
      seen.push(score(pick.slice()));
      let k = 0;
      while (k < pick.length && ++pick[k]! === options[k]!.length) pick[k++] = 0;
      if (k === pick.length) return seen;
    }
  }
  seen.push(score(uniformChoice(options, 'fastest')));
  seen.push(score(uniformChoice(options, 'cheapest')));
  for (const plan of neighbours(problem, choice, prune)) seen.push(plan);
  return seen;
}

/**
 * `choice` and every plan one step away from it, timed without a full pass per plan: a step's
 * longest path is its earliest start, plus its duration, plus the longest run of steps after it
 * (its tail). A step made slower lengthens only its own paths; a step made faster can shorten the
 * makespan only if it was on a longest path, and only those few plans are timed again, from
 * that step on.
 */
function neighbours(problem: Problem, choice: Int32Array, prune: boolean): SeenPlan[] {
  const { options } = problem;
  const timing = createTiming(problem);
  const makespan = computeTimes(problem, choice, timing);
  const cost = computeCost(problem, choice);
  const own = choice.slice();
  const seen: SeenPlan[] = [{ choice: () => own, durationMs: makespan, costUsd: cost }];
  const timeNeighbour = neighbourTimer(problem, choice, timing, makespan);
  // Started steps have one option, so no neighbour: the first pending step is the first to move.
  for (let i = problem.pendingFrom; i < options.length; i++) {
    const list = options[i]!;
    const current = list[choice[i]!]!;
    for (let o = 0; o < list.length; o++) {
      if (o === choice[i]) continue;
      const option = list[o]!;
      const durationMs = timeNeighbour(i, o);
      const costUsd = cost - current.costUsd + option.costUsd;
      if (prune && durationMs >= makespan && costUsd >= cost) continue;
      const step = i;
      seen.push({
        durationMs,
        costUsd,
        choice: () => {
          const pick = choice.slice();
          pick[step] = o;
          return pick;
        },
      });
    }
  }
  return seen;
}

/**
 * The makespan of `choice` with step `i` on option `o`, for the timing of `choice` (`timing`,
 * `makespan`): a slower option lengthens only its own paths (its start, its duration and its
 * tail); a faster one off every longest path leaves the makespan; only a faster one on a longest
 * path is timed again, from that step on.
 */
function neighbourTimer(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  makespan: number,
): (i: number, o: number) => number {
  const { options } = problem;
  const tail = computeTails(problem, timing);
  const own = choice.slice();
  let scratch: Timing | undefined;
  // The latest end before each position, so that a re-timing can start at the step it changed.
  let endsBefore: Float64Array | undefined;
  return (i, o) => {
    const option = options[i]![o]!;
    if (option.durationMs >= options[i]![choice[i]!]!.durationMs) {
      return Math.max(makespan, timing.start[i]! + option.durationMs + tail[i]!);
    }
    if (timing.end[i]! + tail[i]! < makespan - toleranceMs) return makespan;
    if (scratch === undefined || endsBefore === undefined) {
      // The timer lives for one frontier search or one beatenNearby, never two at once.
      scratch = scratchTiming(problem, 'neighbour');
      scratch.start.set(timing.start);
      scratch.end.set(timing.end);
      // The timer's scratch has no use for latest ends: they hold the ends before each step.
      endsBefore = scratch.latestEnd;
      endsBefore[0] = 0;
      for (let k = 1; k < options.length; k++) {
        endsBefore[k] = Math.max(endsBefore[k - 1]!, timing.end[k - 1]!);
      }
    }
    // Only this step and the ones after it can move; the scratch times before it are the plan's
    // (every re-timing leaves them so).
    own[i] = o;
    const durationMs = Math.max(endsBefore[i]!, computeTimesFrom(problem, own, scratch, i));
    own[i] = choice[i]!;
    restore(scratch, timing, i);
    return durationMs;
  };
}

/** Puts `timing`'s times from position `from` on back into `scratch`. */
function restore(scratch: Timing, timing: Timing, from: number): void {
  scratch.start.set(timing.start.subarray(from), from);
  scratch.end.set(timing.end.subarray(from), from);
}

/**
 * After {@link computeTimes}: per step, the longest run of durations after its end along the
 * steps that wait for it (steps that started already wait for nothing).
 */
function computeTails(problem: Problem, timing: Timing): Float64Array {
  const { needs, fixedStart, pendingFrom } = problem;
  // Read by one neighbour timer at a time, for as long as it lives.
  const tail = scratchZeros('tails', needs.length);
  for (let i = needs.length - 1; i >= pendingFrom; i--) {
    if (!Number.isNaN(fixedStart[i]!)) continue;
    const after = timing.end[i]! - timing.start[i]! + tail[i]!;
    const wanted = needs[i]!;
    for (let k = 0; k < wanted.length; k++) {
      const need = wanted[k]!;
      if (after > tail[need]!) tail[need] = after;
    }
  }
  return tail;
}

/** Whether `a` is at least as good as `b` on both time and cost, and better on one. */
export function dominates(a: PlanTotals, b: PlanTotals): boolean {
  const noSlower = a.durationMs <= b.durationMs + toleranceMs;
  const noDearer = a.costUsd <= b.costUsd + toleranceUsd;
  const better = a.durationMs < b.durationMs - toleranceMs || a.costUsd < b.costUsd - toleranceUsd;
  return noSlower && noDearer && better;
}

/** The time/cost Pareto points of `plans`, fastest first (each next one slower and cheaper). */
export function paretoFrontier<T extends PlanTotals>(plans: readonly T[]): T[] {
  const sorted = [...plans].sort((a, b) => a.durationMs - b.durationMs || a.costUsd - b.costUsd);
  const kept: T[] = [];
  for (const plan of sorted) {
    const last = kept[kept.length - 1];
    if (last === undefined || plan.costUsd < last.costUsd - toleranceUsd) kept.push(plan);
  }
  return kept;
}

/**
 * The frontier of the plans {@link seenPlans} sees around `choice`, each costing what `costOf`
 * says (a plan that runs past a price change, priced at the windows its steps start in).
 */
export function frontierAt(
  problem: Problem,
  choice: Int32Array,
  costOf: (problem: Problem, choice: Int32Array) => number,
): PlanTotals[] {
  const seen = seenPlans(problem, choice).map((plan) => ({
    durationMs: plan.durationMs,
    costUsd: costOf(problem, plan.choice()),
  }));
  return paretoFrontier(seen);
}

/**
 * `choice`, or when a plan the search saw beats it on both time and cost, the fastest such plan
 * (so `balanced` never returns a dominated plan), with the frontier of what was seen.
 */
export function undominated(
  problem: Problem,
  choice: Int32Array,
): { choice: Int32Array; frontier: PlanTotals[] } {
  const seen = plansAround(problem, choice, true);
  const timing = createTiming(problem);
  const own = {
    durationMs: computeTimes(problem, choice, timing),
    costUsd: computeCost(problem, choice),
  };
  const frontier = paretoFrontier(seen);
  const better = frontier.find((plan) => dominates(plan, own));
  const points = frontier.map(({ durationMs, costUsd }) => ({ durationMs, costUsd }));
  return { choice: better ? better.choice() : choice, frontier: points };
}

/**
 * Whether a plan {@link seenPlans} would see around `choice` beats it on both time and cost,
 * without timing every such plan: a plan one step away that costs more than `choice` cannot beat
 * it, so the steps made faster at a price need no pass. The frontier of the seen plans then holds
 * such a plan exactly when this says so (it is made of seen plans). Undefined when the search
 * looks at every assignment (small chains: {@link undominated} is cheap there).
 */
export function beatenNearby(problem: Problem, choice: Int32Array): boolean | undefined {
  const { options } = problem;
  let count = 1;
  for (const list of options) {
    count *= list.length;
    if (count > exhaustiveFrontierLimit) break;
  }
  if (count <= exhaustiveFrontierLimit) return undefined;
  const timing = scratchTiming(problem, 'beaten');
  const makespan = computeTimes(problem, choice, timing);
  const cost = computeCost(problem, choice);
  const own = { durationMs: makespan, costUsd: cost };
  const scratch = scratchTiming(problem, 'beaten-uniform');
  for (const pick of ['fastest', 'cheapest'] as const) {
    const uniform = uniformChoice(options, pick);
    const costUsd = computeCost(problem, uniform);
    if (costUsd > cost + toleranceUsd) continue;
    if (dominates({ durationMs: computeTimes(problem, uniform, scratch), costUsd }, own)) {
      return true;
    }
  }
  const timeNeighbour = neighbourTimer(problem, choice, timing, makespan);
  for (let i = problem.pendingFrom; i < options.length; i++) {
    const list = options[i]!;
    const current = list[choice[i]!]!;
    for (let o = 0; o < list.length; o++) {
      if (o === choice[i]) continue;
      const costUsd = cost - current.costUsd + list[o]!.costUsd;
      // A plan one step away that costs more cannot beat `choice`: it needs no timing.
      if (costUsd > cost + toleranceUsd) continue;
      if (dominates({ durationMs: timeNeighbour(i, o), costUsd }, own)) return true;
    }
  }
  return false;
}
