import type { Problem } from './problem';
import type { Goal, Solution } from './solve-exact';
import {
  computeCost,
  computeSlack,
  computeTimes,
  createTiming,
  type Timing,
  toleranceMs,
  toleranceUsd,
} from './timing';

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
  const choice = start ? start.slice() : cheapestChoice(problem);
  const timing = createTiming(problem);
  const feasible = upgrade(problem, choice, timing, (makespan) => makespan - deadlineMs, Infinity);
  if (!feasible) return undefined;
  downgrade(problem, choice, timing, deadlineMs);
  return finish(problem, choice, timing);
}

/**
 * The heuristic for a budget: from the cheapest plan, upgrade the critical step with the most
 * time saved per extra dollar while the money lasts; downgrading steps with slack frees money
 * for another round. Returns undefined when even the cheapest plan costs too much.
 */
export function solveBudget(problem: Problem, budgetUsd: number): Solution | undefined {
  const choice = cheapestChoice(problem);
  if (computeCost(problem, choice) > budgetUsd + toleranceUsd) return undefined;
  const timing = createTiming(problem);
  for (let round = 0; round < 4; round++) {
    const left = () => budgetUsd - computeCost(problem, choice);
    upgrade(problem, choice, timing, () => Infinity, left());
    if (!downgrade(problem, choice, timing, computeTimes(problem, choice, timing))) break;
  }
  return finish(problem, choice, timing);
}

/** Either heuristic, by goal. */
export function solveHeuristic(problem: Problem, goal: Goal, start?: Int32Array) {
  return goal.kind === 'deadline'
    ? solveDeadline(problem, goal.deadlineMs, start)
    : solveBudget(problem, goal.budgetUsd);
}

function cheapestChoice(problem: Problem): Int32Array {
  return Int32Array.from(problem.options, (list) => list.length - 1);
}

/**
 * Upgrades critical steps while `excess(makespan)` is above zero and `money` lasts. The time a
 * step saves counts only up to the excess, so that a small cheap upgrade that closes the gap
 * beats a big dear one. Returns whether the excess is gone.
 */
function upgrade(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  excess: (makespanMs: number) => number,
  money: number,
): boolean {
  const { options } = problem;
  let left = money;
  for (;;) {
    const makespan = computeTimes(problem, choice, timing);
    const over = excess(makespan);
    if (over <= toleranceMs) return true;
    computeSlack(problem, timing, makespan);
    let bestStep = -1;
    let bestOption = -1;
    let bestRatio = -1;
    let bestSaved = 0;
    for (let i = 0; i < options.length; i++) {
      const current = choice[i]!;
      if (current === 0 || timing.latestEnd[i]! - timing.end[i]! > toleranceMs) continue;
      const list = options[i]!;
      for (let j = 0; j < current; j++) {
        const extra = list[j]!.costUsd - list[current]!.costUsd;
        if (extra > left + toleranceUsd) continue;
        const saved = Math.min(list[current]!.durationMs - list[j]!.durationMs, over);
        const ratio = saved / Math.max(extra, toleranceUsd);
        if (ratio > bestRatio || (ratio === bestRatio && saved > bestSaved)) {
          [bestStep, bestOption, bestRatio, bestSaved] = [i, j, ratio, saved];
        }
      }
    }
    if (bestStep < 0) return false;
    const list = options[bestStep]!;
    left -= list[bestOption]!.costUsd - list[choice[bestStep]!]!.costUsd;
    choice[bestStep] = bestOption;
  }
}

/**
 * Moves each step, most money saved first, to the cheapest option that its slack to
 * `horizonMs` absorbs, re-timing after each move so that steps sharing a path do not spend the
 * same slack twice. Returns whether anything moved.
 */
function downgrade(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  horizonMs: number,
): boolean {
  const { options } = problem;
  const order = [...options.keys()]
    .filter((i) => choice[i]! < options[i]!.length - 1)
    .sort((a, b) => saving(problem, choice, b) - saving(problem, choice, a));
  let moved = false;
  let stale = true;
  for (const i of order) {
    if (stale) {
      computeTimes(problem, choice, timing);
      computeSlack(problem, timing, horizonMs);
      stale = false;
    }
    const list = options[i]!;
    const current = list[choice[i]!]!;
    const room = current.durationMs + timing.latestEnd[i]! - timing.end[i]!;
    let j = list.length - 1;
    while (j > choice[i]! && list[j]!.durationMs > room) j--;
    if (j !== choice[i]) {
      choice[i] = j;
      moved = true;
      stale = true;
    }
  }
  return moved;
}

function saving(problem: Problem, choice: Int32Array, i: number): number {
  const list = problem.options[i]!;
  return list[choice[i]!]!.costUsd - list[list.length - 1]!.costUsd;
}

function finish(problem: Problem, choice: Int32Array, timing: Timing): Solution {
  return {
    choice,
    makespanMs: computeTimes(problem, choice, timing),
    costUsd: computeCost(problem, choice),
  };
}
