import type { PlanConfidence } from './plan';
import { type Problem, uniformChoice } from './problem';
import { quantileOf, sampleMakespans, shareWithin } from './sample-makespans';
import type { ObjectiveSolution } from './solve-objective';
import { computeTimes, createTiming, toleranceMs } from './timing';

/** Deadline solves one confidence plan may make: each is a full search, plus one sampling. */
const maxSolves = 8;

/** The bisection stops once the tightened deadlines it brackets are this close (share of it). */
const closeEnough = 0.005;

/**
 * The least-cost plan whose sampled makespan at `confidence` fits `deadlineMs`. The deadline
 * solver plans on medians, so it is handed a tighter deadline until the plan it returns meets
 * the real one in that share of its sampled runs ({@link sampleMakespans}): first the deadline
 * itself, then the deadline scaled down by how far the quantile overshot, until one fits; then
 * a bisection between the last miss and the fit, keeping the cheapest plan that fits. A looser
 * median deadline gives a cheaper plan with a longer tail, so the largest tightened deadline
 * that fits is the answer; at most {@link maxSolves} solves. When not even the fastest plan
 * fits, that plan with a warning. A plan whose medians meet the deadline at once and fit is the
 * answer as it is (so a confidence under one half never loosens the deadline).
 */
export function solveConfidence(
  problem: Problem,
  deadlineMs: number,
  confidence: number,
  solveAt: (deadlineMs: number, warmStart?: Int32Array) => ObjectiveSolution,
  warmStart?: Int32Array,
): ObjectiveSolution {
  const fastestMs = computeTimes(
    problem,
    uniformChoice(problem.options, 'fastest'),
    createTiming(problem),
  );
  const judge = (solved: ObjectiveSolution, plannedDeadlineMs: number) => {
    const sorted = sampleMakespans(solved.problem, solved.choice);
    const durationMs = quantileOf(sorted, confidence);
    const likelihood = shareWithin(sorted, deadlineMs + toleranceMs);
    return {
      solved,
      costUsd: costOf(solved),
      report: { confidence, durationMs, likelihood, plannedDeadlineMs } as PlanConfidence,
      fits: durationMs <= deadlineMs + toleranceMs,
    };
  };
  type Judged = ReturnType<typeof judge>;
  const first = judge(solveAt(deadlineMs, warmStart), deadlineMs);
  // Met at once, or not even the medians meet it (the solver's own warning says so).
  if (first.fits || first.solved.warnings.length > 0) return finish(first);
  let best: Judged | undefined;
  let miss = { atMs: deadlineMs, judged: first };
  let fit: number | undefined;
  for (let solves = 1; solves < maxSolves; solves++) {
    let atMs: number;
    if (fit === undefined) {
      // Shrink by the overshoot (at least 1%), never below the fastest plan's medians.
      const ratio = Math.min(0.99, deadlineMs / miss.judged.report.durationMs);
      atMs = Math.max(fastestMs, miss.atMs * ratio);
    } else {
      if (miss.atMs - fit < closeEnough * deadlineMs) break;
      atMs = (fit + miss.atMs) / 2;
    }
    const judged = judge(solveAt(atMs, miss.judged.solved.choice), atMs);
    if (judged.fits) {
      fit = atMs;
      if (best === undefined || judged.costUsd < best.costUsd) best = judged;
    } else {
      miss = { atMs, judged };
      // The fastest plan misses too: nothing faster to try.
      if (fit === undefined && atMs <= fastestMs + toleranceMs) break;
    }
  }
  if (best !== undefined) return finish(best);
  const fastest = miss.judged;
  const warning = `no plan meets the deadline of ${seconds(deadlineMs)} with ${percent(confidence)} confidence: the fastest plan tried takes ${seconds(fastest.report.durationMs)} at its ${ordinal(confidence)} percentile`;
  return finish({ ...fastest, solved: { ...fastest.solved, warnings: [warning] } });
}

function finish(judged: { solved: ObjectiveSolution; report: PlanConfidence }): ObjectiveSolution {
  return { ...judged.solved, confidence: judged.report };
}

function costOf(solved: ObjectiveSolution): number {
  let total = 0;
  const { options } = solved.problem;
  for (let i = 0; i < options.length; i++) total += options[i]![solved.choice[i]!]!.costUsd;
  return total;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

function ordinal(share: number): string {
  const n = Number((share * 100).toFixed(1));
  return `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
}
