import { flattenNeeds, flattenOptions } from './flat-options';
import type { Problem } from './problem';
import {
  computeSlack,
  computeTimes,
  computeTimesAfter,
  type Timing,
  toleranceMs,
  toleranceUsd,
} from './timing';

/**
 * Upgrades critical steps while `excess(makespan)` is above zero and `money` lasts, one step a
 * round: the one with the most time saved per extra dollar. The time a step saves counts only
 * up to the excess, so a small cheap upgrade that closes the gap beats a big dear one. Returns
 * whether the excess is gone.
 */
export function upgradeCritical(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  excess: (durationMs: number) => number,
  money: number,
): boolean {
  const { options, pendingFrom } = problem;
  let left = money;
  let makespan = computeTimes(problem, choice, timing);
  for (;;) {
    const over = excess(makespan);
    if (over <= toleranceMs) return true;
    computeSlack(problem, timing, makespan);
    let bestStep = -1;
    let bestOption = -1;
    let bestRatio = -1;
    let bestSaved = 0;
    // Started steps have one option: nothing to upgrade before the first pending one.
    for (let i = pendingFrom; i < options.length; i++) {
      const current = choice[i]!;
      if (current === 0 || timing.latestEnd[i]! - timing.end[i]! > toleranceMs) continue;
      const list = options[i]!;
      for (let j = 0; j < current; j++) {
        const extra = list[j]!.costUsd - list[current]!.costUsd;
        if (extra > left + toleranceUsd) continue;
        const saved = Math.min(list[current]!.durationMs - list[j]!.durationMs, over);
        const ratio = saved / Math.max(extra, toleranceUsd);
        if (ratio > bestRatio || (ratio === bestRatio && saved > bestSaved)) {
          bestStep = i;
          bestOption = j;
          bestRatio = ratio;
          bestSaved = saved;
        }
      }
    }
    if (bestStep < 0) return false;
    const list = options[bestStep]!;
    left -= list[bestOption]!.costUsd - list[choice[bestStep]!]!.costUsd;
    choice[bestStep] = bestOption;
    makespan = computeTimesAfter(problem, choice, timing, bestStep);
  }
}

/**
 * Moves each step, most money saved first, to the cheapest option its slack to `horizonMs`
 * absorbs, re-timing after each move so that steps on one path do not spend the same slack
 * twice. Quadratic in the worst case: for chains of a few hundred steps at most. Returns whether
 * anything moved.
 */
export function downgradeBySaving(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  horizonMs: number,
): boolean {
  const { options } = problem;
  const saving = (i: number) => {
    const list = options[i]!;
    return list[choice[i]!]!.costUsd - list[list.length - 1]!.costUsd;
  };
  const order = [...options.keys()]
    .filter((i) => choice[i]! < options[i]!.length - 1)
    .sort((a, b) => saving(b) - saving(a));
  let moved = false;
  let stale = true;
  for (const i of order) {
    if (stale) {
      computeTimes(problem, choice, timing);
      computeSlack(problem, timing, horizonMs);
      stale = false;
    }
    const list = options[i]!;
    const room = list[choice[i]!]!.durationMs + timing.latestEnd[i]! - timing.end[i]!;
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

/**
 * The same moves in one backward pass, linear in the chain's size: each step, last first, takes
 * the cheapest option that ends by its latest end given the choices of the steps after it, and
 * passes its latest start on to the steps it needs. The steps before it keep the time they had,
 * so every step still ends in time. Later steps get first claim on shared slack. `timed`: the
 * times of `choice` are in `timing` already.
 */
export function downgradeInOnePass(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  horizonMs: number,
  timed = false,
): void {
  const { fixedStart, pendingFrom } = problem;
  const { offset, ms } = flattenOptions(problem.options);
  const needs = flattenNeeds(problem.needs);
  if (!timed) computeTimes(problem, choice, timing);
  const latest = timing.latestEnd;
  latest.fill(horizonMs);
  for (let i = fixedStart.length - 1; i >= pendingFrom; i--) {
    if (!Number.isNaN(fixedStart[i]!)) continue;
    const first = offset[i]!;
    const room = latest[i]! - timing.start[i]!;
    let j = offset[i + 1]! - first - 1;
    while (j > choice[i]! && ms[first + j]! > room) j--;
    choice[i] = j;
    const latestStart = latest[i]! - ms[first + j]!;
    for (let k = needs.start[i]!; k < needs.start[i + 1]!; k++) {
      const need = needs.at[k]!;
      if (latestStart < latest[need]!) latest[need] = latestStart;
    }
  }
}
