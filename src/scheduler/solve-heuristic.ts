import { downgradeBySaving, downgradeInOnePass, upgradeCritical } from './heuristic-moves';
import { type Problem, uniformChoice } from './problem';
import type { Goal, Solution } from './solve-exact';
import {
  computeCost,
  computeTimes,
  scratchTiming,
  type Timing,
  toleranceMs,
  toleranceUsd,
} from './timing';

/**
 * Chains up to this many steps get the thorough heuristic (re-timing after every move, two
 * starting points); longer ones the linear passes, to plan 1,000 steps in a few milliseconds.
 */
export const thoroughLimit = 120;

/**
 * The slack-aware heuristic for a deadline: from `start` (the cheapest plan unless a warm start
 * is given), upgrade the critical step with the most time saved per extra dollar until the
 * deadline holds, then move every step whose slack absorbs it to a cheaper model. Never breaks a
 * deadline that the fastest plan meets. Returns undefined when no plan meets it.
 */
export function solveDeadline(
  problem: Problem,
  deadlineMs: number,
  start?: Int32Array,
): Solution | undefined {
  const choice = start ? start.slice() : pick(problem, 'cheapest');
  const timing = scratchTiming(problem, 'deadline');
  const feasible = upgradeCritical(problem, choice, timing, (m) => m - deadlineMs, Infinity);
  if (!feasible) return undefined;
  if (problem.options.length <= thoroughLimit) {
    downgradeBySaving(problem, choice, timing, deadlineMs);
  } else {
    // upgradeCritical returns once it has timed the choice and found it in time.
    downgradeInOnePass(problem, choice, timing, deadlineMs, true);
  }
  return finish(problem, choice, timing);
}

/**
 * The least cost by the deadline for long chains: from `start` (the fastest plan unless a warm
 * start is given, so that few or no upgrades are needed), then the one-pass downgrade.
 */
function solveDeadlineQuickly(
  problem: Problem,
  deadlineMs: number,
  start?: Int32Array,
): Solution | undefined {
  return solveDeadline(problem, deadlineMs, start ?? pick(problem, 'fastest'));
}

/**
 * The heuristic for a budget. Short chains: from the cheapest plan, upgrade the critical step
 * with the most time saved per extra dollar while the money lasts; downgrading steps with slack
 * frees money for another round. Long chains: bisect on a deadline, keeping the shortest one whose
 * plan fits the budget. Returns undefined when even the cheapest plan costs too much.
 */
export function solveBudget(problem: Problem, budgetUsd: number): Solution | undefined {
  const cheapest = pick(problem, 'cheapest');
  if (computeCost(problem, cheapest) > budgetUsd + toleranceUsd) return undefined;
  const timing = scratchTiming(problem, 'budget');
  if (problem.options.length > thoroughLimit) return bisectBudget(problem, budgetUsd, timing);
  const choice = cheapest;
  for (let round = 0; round < 4; round++) {
    const left = budgetUsd - computeCost(problem, choice);
    upgradeCritical(problem, choice, timing, () => Infinity, left);
    if (!downgradeBySaving(problem, choice, timing, computeTimes(problem, choice, timing))) break;
  }
  return finish(problem, choice, timing);
}

function bisectBudget(problem: Problem, budgetUsd: number, timing: Timing): Solution {
  const fastest = pick(problem, 'fastest');
  let low = computeTimes(problem, fastest, timing);
  // Every round starts from the fastest plan: its times once, copied into each round.
  const fastestTiming = scratchTiming(problem, 'budget-fastest');
  fastestTiming.start.set(timing.start);
  fastestTiming.end.set(timing.end);
  fastestTiming.durationMs = timing.durationMs;
  const cheapest = pick(problem, 'cheapest');
  let best = finish(problem, cheapest, timing);
  let high = best.durationMs;
  // To a ten-thousandth of the range: finer deadlines change the plan by less than the noise.
  const precision = (high - low) * 1e-4 + toleranceMs;
  const rounds = new Int32Array(fastest.length);
  for (let round = 0; round < 30 && high - low > precision; round++) {
    const middle = (low + high) / 2;
    const found = solveFromFastest(problem, middle, fastest, fastestTiming, timing, rounds);
    if (found && found.costUsd <= budgetUsd + toleranceUsd) {
      // A round's choice is the scratch array of the next: the best is kept as a copy.
      if (found.durationMs < best.durationMs) best = { ...found, choice: found.choice.slice() };
      high = middle;
    } else {
      low = middle;
    }
  }
  return best;
}

/**
 * {@link solveDeadlineQuickly} from the fastest plan whose times are `fastestTiming`: when that
 * plan meets the deadline no upgrade is needed, so the times are copied rather than worked out
 * again (the same figures), then the one-pass downgrade, in `into`. Long chains only.
 */
function solveFromFastest(
  problem: Problem,
  deadlineMs: number,
  fastest: Int32Array,
  fastestTiming: Timing,
  scratch: Timing,
  into: Int32Array,
): Solution | undefined {
  if (fastestTiming.durationMs - deadlineMs > toleranceMs) {
    return solveDeadline(problem, deadlineMs, fastest);
  }
  const choice = into;
  choice.set(fastest);
  scratch.start.set(fastestTiming.start);
  scratch.end.set(fastestTiming.end);
  scratch.durationMs = fastestTiming.durationMs;
  downgradeInOnePass(problem, choice, scratch, deadlineMs, true);
  return finish(problem, choice, scratch);
}

/** Either heuristic, by goal; long chains start a deadline search from the fastest plan. */
export function solveHeuristic(problem: Problem, goal: Goal, start?: Int32Array) {
  if (goal.kind === 'budget') return solveBudget(problem, goal.budgetUsd);
  return problem.options.length > thoroughLimit
    ? solveDeadlineQuickly(problem, goal.deadlineMs, start)
    : solveDeadline(problem, goal.deadlineMs, start);
}

function pick(problem: Problem, which: 'fastest' | 'cheapest'): Int32Array {
  return uniformChoice(problem.options, which);
}

function finish(problem: Problem, choice: Int32Array, timing: Timing): Solution {
  return {
    choice,
    durationMs: computeTimes(problem, choice, timing),
    costUsd: computeCost(problem, choice),
  };
}
