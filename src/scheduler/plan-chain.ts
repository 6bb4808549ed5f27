import type { ChainDefinition } from '../chain';
import { InvalidArgumentError } from '../errors';
import type { ModelPool } from '../models/pool';
import { buildPlan } from './build-plan';
import type { EstimateStore } from './estimate-store';
import { type AnswerTarget, solvePerceived } from './perceived';
import type { Objective, Plan } from './plan';
import { buildProblem, rememberProblem } from './problem';
import { type SolverChoice, solveObjective } from './solve-objective';

/** What {@link planChain} needs. */
export interface PlanChainOptions {
  readonly chain: ChainDefinition;
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
  checkObjective(objective);
  const problem = buildProblem({ chain, pool, input, history, startAt });
  const solved = answer
    ? solvePerceived(problem, objective, solver, answer)
    : solveObjective(problem, objective, solver);
  const plan = buildPlan(chain.name, objective, solved, 0, answer);
  rememberProblem(plan, problem);
  return plan;
}

/** Throws when the objective is none of the five shapes, saying what came. */
export function checkObjective(objective: Objective): void {
  if (objective === 'balanced' || objective === 'latency' || objective === 'cost') return;
  const value = objective as { deadlineMs?: unknown; budgetUsd?: unknown } | null;
  if (typeof value === 'object' && value !== null) {
    if ('deadlineMs' in value && isAbove(value.deadlineMs, 0, false)) return;
    if ('budgetUsd' in value && isAbove(value.budgetUsd, 0, true)) return;
  }
  throw new InvalidArgumentError({
    argument: 'objective',
    message: `Expected \`objective\` to be 'balanced', 'latency', 'cost', { deadlineMs } above 0 or { budgetUsd } from 0 up, got \`${JSON.stringify(objective)}\``,
  });
}

function isAbove(value: unknown, limit: number, inclusive: boolean): boolean {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (inclusive ? value >= limit : value > limit)
  );
}
