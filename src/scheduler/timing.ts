import type { Problem } from './problem';

/** Slack and time differences below this (ms) count as none: floating-point noise. */
export const toleranceMs = 1e-6;

/** Cost differences below this (US dollars) count as none. */
export const toleranceUsd = 1e-12;

/** Reusable arrays for one assignment's schedule, so that solvers allocate once. */
export interface Timing {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Latest end that keeps the horizon given to {@link computeSlack}. */
  readonly latestEnd: Float64Array;
  durationMs: number;
}

/** Arrays sized for `problem`. */
export function createTiming(problem: Problem): Timing {
  const n = problem.infos.length;
  return {
    start: new Float64Array(n),
    end: new Float64Array(n),
    latestEnd: new Float64Array(n),
    durationMs: 0,
  };
}

/** Forward pass: every pending step starts when the last step it needs ends (and not before now). */
export function computeTimes(problem: Problem, choice: Int32Array, timing: Timing): number {
  const makespan = computeTimesFrom(problem, choice, timing, 0);
  timing.durationMs = makespan;
  return makespan;
}

/**
 * The forward pass from position `from` on, the times before it taken as they are in `timing`
 * (the steps before `from` do not depend on the choices from `from` on): the same figures as a
 * full pass, for the cost of the rest of the chain. Returns the latest end from `from` on.
 */
export function computeTimesFrom(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  from: number,
): number {
  const { needs, options, fixedStart, releaseMs } = problem;
  const { start, end } = timing;
  let latest = 0;
  for (let i = from; i < options.length; i++) {
    let begin = fixedStart[i]!;
    if (Number.isNaN(begin)) {
      begin = releaseMs;
      const wanted = needs[i]!;
      for (let k = 0; k < wanted.length; k++) {
        const after = end[wanted[k]!]!;
        if (after > begin) begin = after;
      }
    }
    start[i] = begin;
    const finish = begin + options[i]![choice[i]!]!.durationMs;
    end[i] = finish;
    if (finish > latest) latest = finish;
  }
  return latest;
}

/**
 * Backward pass after {@link computeTimes}: the latest end of each step that still ends the chain
 * by `horizonMs`. Slack is `latestEnd - end`. Steps that started already hold their start, so
 * they pass no constraint on to the steps they need.
 */
export function computeSlack(problem: Problem, timing: Timing, horizonMs: number): void {
  const { needs, fixedStart } = problem;
  const { start, end, latestEnd } = timing;
  latestEnd.fill(horizonMs);
  for (let i = needs.length - 1; i >= 0; i--) {
    if (!Number.isNaN(fixedStart[i]!)) continue;
    const latestStart = latestEnd[i]! - (end[i]! - start[i]!);
    const wanted = needs[i]!;
    for (let k = 0; k < wanted.length; k++) {
      const need = wanted[k]!;
      if (latestStart < latestEnd[need]!) latestEnd[need] = latestStart;
    }
  }
}

/** The total predicted cost of an assignment. */
export function computeCost(problem: Problem, choice: Int32Array): number {
  let total = 0;
  for (let i = 0; i < choice.length; i++) total += problem.options[i]![choice[i]!]!.costUsd;
  return total;
}
