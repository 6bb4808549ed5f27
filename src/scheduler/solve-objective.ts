import type { Objective, PlanConfidence, PlanSolver } from './plan';
import { type Problem, uniformChoice } from './problem';
import { solveConfidence } from './solve-confidence';
import { evaluate, type Goal, type Solution, searchSpace, solveExact } from './solve-exact';
import { solveDeadline, solveHeuristic, thoroughLimit } from './solve-heuristic';
import { computeCost, computeTimes, scratchTiming, toleranceMs, toleranceUsd } from './timing';

/** Which solver to use: `auto` runs the exact one when the search space is small. */
export type SolverChoice = 'auto' | 'exact' | 'heuristic';

/** The planner's answer for one objective. */
export interface ObjectiveSolution {
  /** The problem solved: `balanced` pins its map steps to their cheapest option. */
  readonly problem: Problem;
  readonly choice: Int32Array;
  readonly solver: PlanSolver;
  readonly warnings: readonly string[];
  /** The time slack is measured against: the deadline, else the plan's makespan. */
  readonly horizonMs?: number;
  /** The problem before `balanced` pinned its maps: where its frontier is looked for. */
  readonly base?: Problem;
  /** For a deadline with a confidence: the sampled makespan against it (`solve-confidence.ts`). */
  readonly confidence?: PlanConfidence;
  /**
   * For a chain that may run past a price change: the cost of any assignment with each step
   * priced at the window it starts in, for the frontier and the baselines.
   */
  readonly costAtStarts?: (problem: Problem, choice: Int32Array) => number;
}

/**
 * Solves `objective` on `problem`. `latency` and `cost` need no search; `balanced` is the least
 * cost that keeps the makespan of the fastest plan with map items on their cheapest model, so
 * slack, not the step kind, decides who else goes cheap; deadlines and budgets search.
 * `warmStart`, the previous plan's choice in a re-plan, seeds the heuristic.
 */
export function solveObjective(
  problem: Problem,
  objective: Objective,
  solver: SolverChoice,
  warmStart?: Int32Array,
): ObjectiveSolution {
  if (objective === 'latency' || objective === 'cost') {
    const pick = objective === 'latency' ? 'fastest' : 'cheapest';
    return {
      problem,
      choice: uniformChoice(problem.options, pick),
      solver: 'direct',
      warnings: [],
    };
  }
  if (objective === 'balanced') {
    const batched = cheapenMaps(problem);
    const fast = uniformChoice(batched.options, 'fastest');
    const target = computeTimes(batched, fast, scratchTiming(batched, 'balanced'));
    const goal: Goal = { kind: 'deadline', deadlineMs: target };
    return {
      problem: batched,
      base: problem,
      warnings: [],
      ...search(batched, goal, solver, fast),
    };
  }
  if ('deadlineMs' in objective && objective.confidence !== undefined) {
    const solveAt = (deadlineMs: number, start?: Int32Array) =>
      solveForDeadline(problem, deadlineMs, solver, start);
    return solveConfidence(problem, objective.deadlineMs, objective.confidence, solveAt, warmStart);
  }
  if ('deadlineMs' in objective)
    return solveForDeadline(problem, objective.deadlineMs, solver, warmStart);
  return solveForBudget(problem, objective.budgetUsd, solver);
}

function solveForDeadline(
  problem: Problem,
  deadlineMs: number,
  solver: SolverChoice,
  warmStart?: Int32Array,
): ObjectiveSolution {
  const fastest = evaluate(problem, uniformChoice(problem.options, 'fastest'));
  if (fastest.durationMs <= deadlineMs + toleranceMs) {
    const goal: Goal = { kind: 'deadline', deadlineMs };
    return {
      problem,
      warnings: [],
      horizonMs: deadlineMs,
      ...search(problem, goal, solver, warmStart),
    };
  }
  // No plan meets it: the fastest plan, at the least cost that keeps it fastest.
  const goal: Goal = { kind: 'deadline', deadlineMs: fastest.durationMs };
  const warning = `no plan meets the deadline of ${seconds(deadlineMs)}: the fastest takes ${seconds(fastest.durationMs)}`;
  return {
    problem,
    warnings: [warning],
    horizonMs: fastest.durationMs,
    ...search(problem, goal, solver, fastest.choice),
  };
}

function solveForBudget(
  problem: Problem,
  budgetUsd: number,
  solver: SolverChoice,
): ObjectiveSolution {
  const cheapest = uniformChoice(problem.options, 'cheapest');
  const cost = computeCost(problem, cheapest);
  if (cost > budgetUsd + toleranceUsd) {
    const warning = `no plan fits the budget of ${usd(budgetUsd)}: the cheapest costs ${usd(cost)}`;
    return { problem, choice: cheapest, solver: 'direct', warnings: [warning] };
  }
  return { problem, warnings: [], ...search(problem, { kind: 'budget', budgetUsd }, solver) };
}

/**
 * Runs the heuristic (from the cheapest plan and from `start`, keeping the better), then, when
 * allowed and small enough, the exact search with the heuristic's answer as its first bound.
 */
function search(
  problem: Problem,
  goal: Goal,
  solver: SolverChoice,
  start?: Int32Array,
): { choice: Int32Array; solver: PlanSolver } {
  const long = problem.options.length > thoroughLimit;
  // Long chains: one run from the warm start (or the fastest plan). Short ones: two, keep the
  // cheaper (starting from the cheapest plan and from the fastest miss different plans).
  let found = solveHeuristic(problem, goal, long ? start : undefined);
  if (goal.kind === 'deadline' && start && !long) {
    found = cheaper(found, solveDeadline(problem, goal.deadlineMs, start));
  }
  const exact = solver === 'exact' || (solver === 'auto' && searchSpace(problem) < Infinity);
  if (exact) {
    const { solution, complete } = solveExact(problem, goal, found);
    if (solution) return { choice: solution.choice, solver: complete ? 'exact' : 'heuristic' };
  }
  // The heuristics find a plan whenever one exists; the fallback only guards the types.
  return {
    choice: found?.choice ?? uniformChoice(problem.options, 'fastest'),
    solver: 'heuristic',
  };
}

function cheaper(a: Solution | undefined, b: Solution | undefined): Solution | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  if (Math.abs(a.costUsd - b.costUsd) <= toleranceUsd) return a.durationMs <= b.durationMs ? a : b;
  return a.costUsd < b.costUsd ? a : b;
}

/** The problem with every unpinned, pending map step held to its cheapest option. */
function cheapenMaps(problem: Problem): Problem {
  const { infos } = problem;
  const options = problem.options.slice();
  // Started steps have their one option already.
  for (let i = problem.pendingFrom; i < options.length; i++) {
    const info = infos[i]!;
    const list = options[i]!;
    const batch = info.step.kind === 'map' && info.candidates && !info.lane && !info.fixed;
    if (batch) options[i] = [list[list.length - 1]!];
  }
  return { ...problem, options };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function usd(value: number): string {
  return `$${value.toPrecision(3)}`;
}
