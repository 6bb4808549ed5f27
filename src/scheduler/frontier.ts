import type { PlanTotals } from './plan';
import type { Problem } from './problem';
import { computeCost, computeTimes, createTiming, toleranceMs, toleranceUsd } from './timing';

/** Assignments of at most this many are all looked at: the frontier is then exact. */
export const exhaustiveFrontierLimit = 4096;

/** An assignment the search looked at, with its totals. */
export interface SeenPlan extends PlanTotals {
  readonly choice: Int32Array;
}

/**
 * The plans the search sees around `choice`: every assignment when there are at most
 * {@link exhaustiveFrontierLimit}; otherwise the all-fast and all-cheap plans and every plan one
 * step away from `choice`.
 */
export function seenPlans(problem: Problem, choice: Int32Array): SeenPlan[] {
  const { options } = problem;
  const timing = createTiming(problem);
  const score = (pick: Int32Array): SeenPlan => ({
    choice: pick,
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
  seen.push(score(choice.slice()));
  seen.push(score(Int32Array.from(options, () => 0)));
  seen.push(score(Int32Array.from(options, (list) => list.length - 1)));
  for (let i = 0; i < options.length; i++) {
    for (let o = 0; o < options[i]!.length; o++) {
      if (o === choice[i]) continue;
      const pick = choice.slice();
      pick[i] = o;
      seen.push(score(pick));
    }
  }
  return seen;
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
 * `choice`, or when a plan the search saw beats it on both time and cost, the fastest such plan
 * (so `balanced` never returns a dominated plan), with the frontier of what was seen.
 */
export function undominated(
  problem: Problem,
  choice: Int32Array,
): { choice: Int32Array; frontier: PlanTotals[] } {
  const seen = seenPlans(problem, choice);
  const timing = createTiming(problem);
  const own = {
    durationMs: computeTimes(problem, choice, timing),
    costUsd: computeCost(problem, choice),
  };
  const frontier = paretoFrontier(seen);
  const better = frontier.find((plan) => dominates(plan, own));
  const points = frontier.map(({ durationMs, costUsd }) => ({ durationMs, costUsd }));
  return { choice: better ? better.choice : choice, frontier: points };
}
