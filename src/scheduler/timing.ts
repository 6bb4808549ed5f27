import { flattenNeeds, flattenOptions } from './flat-options';
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

/** Arrays sized for `problem`, zeroed: three views of one buffer (one allocation, not three). */
export function createTiming(problem: Problem): Timing {
  const n = problem.infos.length;
  const all = new Float64Array(3 * n);
  return {
    start: all.subarray(0, n),
    end: all.subarray(n, 2 * n),
    latestEnd: all.subarray(2 * n),
    durationMs: 0,
  };
}

/** Where a planner function keeps its scratch timing: one per function, never two at once. */
export type TimingSlot =
  | 'plan'
  | 'balanced'
  | 'fastest'
  | 'deadline'
  | 'budget'
  | 'budget-fastest'
  | 'beaten'
  | 'beaten-uniform'
  | 'neighbour';

const scratches = new Map<TimingSlot, Timing>();
const arrays = new Map<string, Float64Array>();

/** {@link scratchTiming} for one array of `length` numbers, zeroed on every call. */
export function scratchZeros(slot: 'tails', length: number): Float64Array {
  let array = arrays.get(slot);
  if (array === undefined || array.length !== length) {
    array = new Float64Array(length);
    arrays.set(slot, array);
    return array;
  }
  return array.fill(0);
}

/**
 * A timing sized for `problem` for the function that owns `slot`, made once and then reused:
 * typed arrays of a thousand steps live outside the heap and cost more to make and collect than
 * to fill (a 1,000-step re-plan made a dozen). Planning is synchronous and no planner function
 * holds its slot across a call that uses the same slot. The contents are left from the last use:
 * callers write what they read (a forward pass writes every start and end, the backward passes
 * fill `latestEnd`), and the timing never outlives the call.
 */
export function scratchTiming(problem: Problem, slot: TimingSlot): Timing {
  const n = problem.infos.length;
  let timing = scratches.get(slot);
  if (timing === undefined || timing.start.length !== n) {
    timing = createTiming(problem);
    scratches.set(slot, timing);
  }
  timing.durationMs = 0;
  return timing;
}

/**
 * Forward pass: every pending step starts when the last step it needs ends (and not before now).
 * In a re-plan the steps before the first pending one have started: their times are the same
 * for every choice, copied in, and the pass runs from there on.
 */
export function computeTimes(problem: Problem, choice: Int32Array, timing: Timing): number {
  const from = problem.pendingFrom;
  let makespan = 0;
  if (from > 0) {
    const prefix = startedPrefix(problem);
    timing.start.set(prefix.start);
    timing.end.set(prefix.end);
    makespan = prefix.latest;
  }
  const rest = computeTimesFrom(problem, choice, timing, from);
  if (rest > makespan) makespan = rest;
  timing.durationMs = makespan;
  return makespan;
}

/**
 * {@link computeTimes} after `choice[changed]` alone changed since `timing` was worked out for
 * the choice: the steps before it do not need it, so their times stand and the pass runs from
 * it on. The same figures as a full pass.
 */
export function computeTimesAfter(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  changed: number,
): number {
  const from = problem.pendingFrom;
  let makespan = from > 0 ? startedPrefix(problem).latest : 0;
  const { end } = timing;
  for (let i = from; i < changed; i++) if (end[i]! > makespan) makespan = end[i]!;
  const rest = computeTimesFrom(problem, choice, timing, changed);
  if (rest > makespan) makespan = rest;
  timing.durationMs = makespan;
  return makespan;
}

/** The started steps before the first pending one: their ends, the latest, their cost. */
interface StartedPrefix {
  readonly fixedStart: Float64Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly latest: number;
  readonly costUsd: number;
}

/** Per options array (the solvers' variants of a problem share the started steps' options). */
const prefixes = new WeakMap<object, StartedPrefix>();

function startedPrefix(problem: Problem): StartedPrefix {
  const { options, fixedStart, pendingFrom } = problem;
  const known = prefixes.get(options);
  if (known?.fixedStart === fixedStart && known.end.length === pendingFrom) return known;
  // A started step has one option: the same sums as the full pass makes.
  const times = new Float64Array(2 * pendingFrom);
  const start = times.subarray(0, pendingFrom);
  start.set(fixedStart.subarray(0, pendingFrom));
  const end = times.subarray(pendingFrom);
  let latest = 0;
  let costUsd = 0;
  for (let i = 0; i < pendingFrom; i++) {
    const option = options[i]![0]!;
    const finish = fixedStart[i]! + option.durationMs;
    end[i] = finish;
    if (finish > latest) latest = finish;
    costUsd += option.costUsd;
  }
  const prefix = { fixedStart, start, end, latest, costUsd };
  prefixes.set(options, prefix);
  return prefix;
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
  const { fixedStart, releaseMs } = problem;
  const { offset, ms } = flattenOptions(problem.options);
  const needs = flattenNeeds(problem.needs);
  const { start, end } = timing;
  let latest = 0;
  for (let i = from; i < fixedStart.length; i++) {
    let begin = fixedStart[i]!;
    if (Number.isNaN(begin)) {
      begin = releaseMs;
      for (let k = needs.start[i]!; k < needs.start[i + 1]!; k++) {
        const after = end[needs.at[k]!]!;
        if (after > begin) begin = after;
      }
    }
    start[i] = begin;
    const finish = begin + ms[offset[i]! + choice[i]!]!;
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
  const { fixedStart, pendingFrom } = problem;
  const needs = flattenNeeds(problem.needs);
  const { start, end, latestEnd } = timing;
  latestEnd.fill(horizonMs);
  // Started steps pass nothing on: the pass stops at the first pending one.
  for (let i = fixedStart.length - 1; i >= pendingFrom; i--) {
    if (!Number.isNaN(fixedStart[i]!)) continue;
    const latestStart = latestEnd[i]! - (end[i]! - start[i]!);
    for (let k = needs.start[i]!; k < needs.start[i + 1]!; k++) {
      const need = needs.at[k]!;
      if (latestStart < latestEnd[need]!) latestEnd[need] = latestStart;
    }
  }
}

/**
 * The total predicted cost of an assignment, summed in position order. In a re-plan the sum
 * over the started steps before the first pending one is the same for every choice: kept, and
 * the sum goes on from it (the same additions in the same order, so the same figure).
 */
export function computeCost(problem: Problem, choice: Int32Array): number {
  const from = problem.pendingFrom;
  let total = from > 0 ? startedPrefix(problem).costUsd : 0;
  const { offset, usd } = flattenOptions(problem.options);
  for (let i = from; i < choice.length; i++) total += usd[offset[i]! + choice[i]!]!;
  return total;
}
