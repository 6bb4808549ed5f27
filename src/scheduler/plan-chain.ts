import type { ChainDefinition } from '../chain';
import type { ModelPool } from '../models/pool';
import { hasPriceWindows, pricesAt } from '../models/price-windows';
import { buildPlan } from './build-plan';
import { checkPlanOptions } from './check-plan-options';
import { deferIntoCheaperWindows } from './defer-items';
import type { EstimateStore } from './estimate-store';
import { type AnswerTarget, solvePerceived } from './perceived';
import type { ItemDeferral, Objective, Plan, PlanDeferral } from './plan';
import {
  costAtStarts,
  firstPriceChange,
  mayCrossPriceChange,
  priceAtStarts,
} from './price-at-start';
import { buildProblem } from './problem';
import { rememberProblem } from './refix-problem';
import { overBudget, solveAtStarts } from './solve-at-starts';
import { type ObjectiveSolution, type SolverChoice, solveObjective } from './solve-objective';
import { computeCost, toleranceMs } from './timing';

/** What {@link planChain} needs. */
export interface PlanChainOptions {
  /** The chain to plan (`chain(...)`'s definition). */
  readonly chain: ChainDefinition;
  /** The models its steps may be put on. */
  readonly pool: ModelPool;
  /** @default 'balanced' */
  readonly objective?: Objective;
  /** The chain input, when known: it sizes prompts that depend only on the input. */
  readonly input?: unknown;
  /** Moving estimates of earlier runs (see `recordStep`); they replace hints and predictions. */
  readonly history?: EstimateStore;
  /**
   * `auto` searches exactly when the chain has at most 100,000 assignments, else runs the
   * slack-aware heuristic.
   * @default 'auto'
   */
  readonly solver?: SolverChoice;
  /**
   * The calendar instant the chain starts at (Unix ms): each call is priced at the price window
   * in force then (DeepSeek's peak hours). The runtime passes its clock's date. Without it, the
   * base prices. @default none
   */
  readonly startAt?: number;
  /**
   * Plan a streamed run: the objective applies to the time to this step's first token, and its
   * model must decode at least at the reading rate.
   */
  readonly answer?: AnswerTarget;
  /**
   * Test and integration seams. `models`: steps whose model was chosen elsewhere, by step id (a
   * coordinator's plan for the map items it sends to workers); ignored where not a candidate.
   */
  readonly _internal?: { readonly models?: Readonly<Record<string, string>> };
}

/**
 * Gives every step of a chain a model for the objective, with predicted times, slack and a reason
 * per step. Pure: no I/O, no clock.
 *
 * @example
 * ```ts
 * const plan = planChain({ chain: research.definition, pool, objective: { deadlineMs: 8000 } });
 * console.log(plan.explain());
 * ```
 */
export function planChain(options: PlanChainOptions): Plan {
  checkPlanOptions(options, 'planChain');
  const {
    chain,
    pool,
    objective = 'balanced',
    input,
    history,
    solver = 'auto',
    startAt,
    answer,
  } = options;
  const pinned = options._internal?.models;
  let solvedNow: ObjectiveSolution | undefined;
  // The solver prices every call at the chain's start: a plan that runs past a price change is
  // priced again, each step at the window it is predicted to start in, and so are the frontier
  // and the baselines of a chain that may.
  const build = (
    solved: ObjectiveSolution,
    releaseMs: number,
    deferred?: PlanDeferral,
    keep?: ReadonlySet<string>,
  ) => {
    const near = startAt !== undefined && mayCrossPriceChange(solved.problem, startAt, pool);
    const priced: ObjectiveSolution = near
      ? { ...solved, costAtStarts: (p, c) => costAtStarts(p, c, startAt!, pool, keep) }
      : solved;
    const plan = buildPlan(chain.name, objective, priced, 0, answer, deferred);
    if (startAt === undefined) return plan;
    if (startAt + plan.durationMs <= firstPriceChange(pool, startAt + releaseMs)) return plan;
    const repriced = priceAtStarts(solved.problem, solved.choice, startAt, pool, keep);
    if (repriced === undefined) return plan;
    const costUsd = computeCost(repriced, solved.choice);
    const warnings = [...solved.warnings, ...overBudget(objective, costUsd, solved.warnings)];
    return buildPlan(
      chain.name,
      objective,
      { ...priced, problem: repriced, warnings },
      0,
      answer,
      deferred,
    );
  };
  const planAt = (releaseMs: number, deferred?: PlanDeferral) => {
    const problem = buildProblem({ chain, pool, input, history, startAt, releaseMs, pinned });
    let solved = answer
      ? solvePerceived(problem, objective, solver, answer)
      : solveObjective(problem, objective, solver);
    // `cost` and budgets choose again at the prices each step starts at, when that can differ.
    if (
      answer === undefined &&
      startAt !== undefined &&
      mayCrossPriceChange(problem, startAt, pool)
    )
      solved = solveAtStarts(solved, objective, solver, startAt, pool) ?? solved;
    solvedNow ??= solved;
    const plan = build(solved, releaseMs, deferred);
    rememberProblem(plan, problem);
    return plan;
  };
  const now = planAt(0);
  if (answer !== undefined || startAt === undefined) return now;
  if (typeof objective !== 'object' || !('deadlineMs' in objective) || objective.defer === false)
    return now;
  const later = deferIfCheaper(
    now,
    objective.deadlineMs,
    startAt,
    windowChanges(pool, startAt),
    planAt,
  );
  if (later !== now || now.warnings.length > 0 || objective.confidence !== undefined) return later;
  // The chain cannot wait as a whole: perhaps a step, or some of a map's items, can.
  const split = deferIntoCheaperWindows(
    solvedNow!.problem,
    solvedNow!.choice,
    objective.deadlineMs,
    startAt,
    pool,
    now.costUsd,
  );
  if (split === undefined) return now;
  const plan = build({ ...solvedNow!, ...split }, 0, undefined, new Set(split.deferrals.keys()));
  for (const step of plan.steps) {
    const deferred = split.deferrals.get(step.stepId);
    // The planned step was made just now, for this plan only.
    if (deferred) (step as { deferred?: ItemDeferral }).deferred = deferred;
  }
  rememberProblem(plan, split.problem);
  return plan;
}

/** A later start must save at least this share of the cost of starting now to be worth a wait. */
const minDeferralSaving = 0.01;

/** The most price-window changes inside a deadline that are tried as later starts. */
const maxDeferralStarts = 12;

/**
 * The plan that starts at one of the next price-window changes (DeepSeek's off-peak hours),
 * when it meets the deadline and costs at least 1% less than starting now; else `now`.
 */
function deferIfCheaper(
  now: Plan,
  deadlineMs: number,
  startAt: number,
  changes: readonly number[],
  planAt: (releaseMs: number, deferred?: PlanDeferral) => Plan,
): Plan {
  if (now.warnings.length > 0) return now;
  let best: { delayMs: number; costUsd: number } | undefined;
  for (const change of changes) {
    const delayMs = change - startAt;
    if (delayMs <= 0 || delayMs >= deadlineMs) continue;
    const later = planAt(delayMs);
    // With a confidence, the later plan must meet the deadline at that share of its samples.
    const endMs = later.confidence?.durationMs ?? later.durationMs;
    if (later.warnings.length > 0 || endMs > deadlineMs + toleranceMs) continue;
    if (later.costUsd < (best?.costUsd ?? now.costUsd * (1 - minDeferralSaving))) {
      best = { delayMs, costUsd: later.costUsd };
    }
  }
  if (best === undefined) return now;
  return planAt(best.delayMs, {
    delayMs: best.delayMs,
    startsAt: startAt + best.delayMs,
    savedUsd: now.costUsd - best.costUsd,
    immediateCostUsd: now.costUsd,
  });
}

/** The instants (Unix ms) the pool's prices change next, soonest first. */
function windowChanges(pool: ModelPool, startAt: number): number[] {
  const priced = pool.models.filter((entry) => hasPriceWindows(entry.profile.pricing));
  const changes: number[] = [];
  let at = startAt;
  while (priced.length > 0 && changes.length < maxDeferralStarts) {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of priced) next = Math.min(next, pricesAt(entry.profile.pricing, at).untilMs);
    if (!Number.isFinite(next)) break;
    changes.push(next);
    at = next;
  }
  return changes;
}
