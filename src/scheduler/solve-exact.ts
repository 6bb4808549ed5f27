import type { StartPricer } from './price-at-start';
import type { Problem } from './problem';
import { computeCost, computeTimes, scratchTiming, toleranceMs, toleranceUsd } from './timing';

/** What a solver optimises: least cost by a deadline, or least makespan within a budget. */
export type Goal =
  | { readonly kind: 'deadline'; readonly deadlineMs: number }
  | { readonly kind: 'budget'; readonly budgetUsd: number };

/** A solver's answer: the option index per step, or undefined when no assignment meets the goal. */
export interface Solution {
  readonly choice: Int32Array;
  readonly durationMs: number;
  readonly costUsd: number;
}

/** How many assignments the planner leaves to the exact solver. */
export const exactSearchLimit = 100_000;

/** How many search nodes the exact solver visits before it settles for the best found so far. */
export const exactNodeLimit = 1_000_000;

/** The number of assignments of `problem` (capped past the exact limit). */
export function searchSpace(problem: Problem): number {
  let size = 1;
  for (const list of problem.options) {
    size *= list.length;
    if (size > exactSearchLimit) return Number.POSITIVE_INFINITY;
  }
  return size;
}

/**
 * Branch and bound over the steps in topological order. The time bound of a partial assignment
 * is the latest end so far plus the fastest possible rest of a path (`tail`), the cost bound the
 * cost so far plus the cheapest rest. `incumbent`, a heuristic answer, prunes from the start.
 * Ties go to the faster plan for a deadline and to the cheaper one for a budget.
 * `complete` is false when the node limit stopped the search early. With `atStart`, each option
 * costs what it does at the instant it starts (a chain that runs past a price change), and the
 * options of a step need not run cheapest last.
 */
export function solveExact(
  problem: Problem,
  goal: Goal,
  incumbent?: Solution,
  atStart?: StartPricer,
): { solution: Solution | undefined; complete: boolean } {
  const { options, needs, fixedStart, releaseMs } = problem;
  const n = options.length;
  const tail = pathTails(problem);
  const restCost = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    const list = options[i]!;
    let least = list[list.length - 1]!.costUsd;
    if (atStart) for (const option of list) least = Math.min(least, atStart.lowest(i, option));
    restCost[i] = restCost[i + 1]! + least;
  }
  const deadline = goal.kind === 'deadline' ? goal.deadlineMs + toleranceMs : Infinity;
  const budget = goal.kind === 'budget' ? goal.budgetUsd + toleranceUsd : Infinity;
  const choice = new Int32Array(n);
  const end = new Float64Array(n);
  let best = incumbent;
  let nodes = 0;

  const better = (timeBound: number, costBound: number): boolean => {
    if (best === undefined) return true;
    const [mine, theirs, nextMine, nextTheirs] =
      goal.kind === 'deadline'
        ? [costBound, best.costUsd, timeBound, best.durationMs]
        : [timeBound, best.durationMs, costBound, best.costUsd];
    const tolerance = goal.kind === 'deadline' ? toleranceUsd : toleranceMs;
    if (mine < theirs - tolerance) return true;
    if (mine > theirs + tolerance) return false;
    const nextTolerance = goal.kind === 'deadline' ? toleranceMs : toleranceUsd;
    return nextMine < nextTheirs - nextTolerance;
  };

  const visit = (i: number, timeBound: number, latestEnd: number, cost: number): void => {
    if (++nodes > exactNodeLimit) return;
    if (i === n) {
      best = { choice: choice.slice(), durationMs: latestEnd, costUsd: cost };
      return;
    }
    let begin = fixedStart[i]!;
    if (Number.isNaN(begin)) {
      begin = releaseMs;
      for (const need of needs[i]!) if (end[need]! > begin) begin = end[need]!;
    }
    const list = options[i]!;
    // Cheapest first for a deadline, fastest first for a budget: good answers early prune more.
    for (let k = 0; k < list.length; k++) {
      const j = goal.kind === 'deadline' ? list.length - 1 - k : k;
      const option = list[j]!;
      const finish = begin + option.durationMs;
      const bound = Math.max(timeBound, finish + tail[i]!);
      const spent = cost + (atStart ? atStart.costAt(i, option, begin) : option.costUsd);
      if (bound > deadline || spent + restCost[i + 1]! > budget) continue;
      if (!better(bound, spent + restCost[i + 1]!)) continue;
      choice[i] = j;
      end[i] = finish;
      visit(i + 1, bound, Math.max(latestEnd, finish), spent);
    }
  };
  visit(0, 0, 0, 0);
  return { solution: best, complete: nodes <= exactNodeLimit };
}

/**
 * For each step, the longest chain of fastest-option durations after it: a lower bound on how
 * long the chain runs on once the step ends. Steps that started already do not wait for it.
 */
function pathTails(problem: Problem): Float64Array {
  const { options, needs, fixedStart } = problem;
  const tail = new Float64Array(options.length);
  for (let i = options.length - 1; i >= 0; i--) {
    if (!Number.isNaN(fixedStart[i]!)) continue;
    const through = options[i]![0]!.durationMs + tail[i]!;
    for (const need of needs[i]!) if (through > tail[need]!) tail[need] = through;
  }
  return tail;
}

/** Makespan and cost of an assignment, for incumbents built outside the search. */
export function evaluate(problem: Problem, choice: Int32Array): Solution {
  const timing = scratchTiming(problem, 'fastest');
  return {
    choice,
    durationMs: computeTimes(problem, choice, timing),
    costUsd: computeCost(problem, choice),
  };
}
