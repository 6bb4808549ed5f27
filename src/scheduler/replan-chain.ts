import { InvalidArgumentError } from '../errors';
import { buildPlan } from './build-plan';
import { layoutOf } from './chain-layout';
import { checkPlanOptions } from './check-plan-options';
import { solvePerceived } from './perceived';
import type { Plan, PlanChange } from './plan';
import type { PlanChainOptions } from './plan-chain';
import { costAtStarts, mayCrossPriceChange, priceAtStarts } from './price-at-start';
import { buildProblem, type FixedStep, optionOfModel, type Problem } from './problem';
import { recallProblem, refixIncrementally, refixProblem, rememberProblem } from './refix-problem';
import { overBudget, solveAtStarts } from './solve-at-starts';
import { type ObjectiveSolution, solveObjective } from './solve-objective';
import { computeCost } from './timing';

/** A step that has ended: measured times from the chain's start, and what it cost. */
export interface DoneStep {
  readonly startMs: number;
  readonly endMs: number;
  /** The model it ended on (after any fallback); absent for `fn` steps. */
  readonly model?: string;
  readonly costUsd: number;
}

/** A step that has started and not ended. */
export interface RunningStep {
  readonly startMs: number;
  readonly model?: string;
}

/** Where a run stands, in milliseconds from the chain's start. */
export interface RunProgress {
  readonly nowMs: number;
  readonly done: ReadonlyMap<string, DoneStep>;
  readonly running: ReadonlyMap<string, RunningStep>;
}

/** What {@link replanChain} needs: {@link PlanChainOptions} plus the run so far. */
export interface ReplanChainOptions extends PlanChainOptions {
  /** The objective to plan for. @default the previous plan's */
  readonly objective?: PlanChainOptions['objective'];
  /** Where the run stands: what is done, what is running, and now. */
  readonly progress: RunProgress;
  /** The plan the run follows; its models seed the search and the change list. */
  readonly previous: Plan;
  /**
   * Test seams. `rebuild`: predict every step again instead of reusing what `previous` was
   * planned from, and time every pass from the first step rather than from the first pending
   * one (the result is the same; the equivalence tests compare the two).
   */
  readonly _internal?: PlanChainOptions['_internal'] & { readonly rebuild?: boolean };
}

/** A new plan for the steps not yet started, and the steps whose model it changed. */
export interface Replan {
  readonly plan: Plan;
  readonly changes: readonly PlanChange[];
}

/**
 * Plans the steps not yet started again, against measured times: done and running steps keep
 * their times and models, pending ones start no earlier than now. A deadline still counts from
 * the chain's start and a budget includes what was spent. With `startAt`, a run that may go past
 * a price change is priced, and for `cost` and budgets chosen, at the window each pending step
 * starts in, as {@link planChain} does. Call it when a step ends.
 *
 * @example
 * ```ts
 * const { plan, changes } = replanChain({
 *   chain: research.definition,
 *   pool,
 *   objective: { deadlineMs: 30_000 },
 *   previous,
 *   progress: { nowMs: 9_000, done, running },
 * });
 * ```
 */
export function replanChain(options: ReplanChainOptions): Replan {
  checkPlanOptions(options, 'replanChain');
  return replanChecked(options);
}

/**
 * {@link replanChain} on options known to be right: the runtime's own, which it re-plans with
 * after every step that strays (checking them walks every done step, some 5% of a re-plan of a
 * 1,000-step chain).
 */
export function replanChecked(options: ReplanChainOptions): Replan {
  const { chain, pool, input, history, previous, progress, solver = 'auto', startAt } = options;
  const objective = options.objective ?? previous.objective;
  const source = { chain, pool, input, history, releaseMs: progress.nowMs, startAt };
  // Incremental: what `previous` was planned from, when it was made here from the same sources.
  const memory = options._internal?.rebuild ? undefined : recallProblem(previous, source);
  const { index } = layoutOf(chain.steps);
  const position = (id: string) => {
    const i = index.get(id);
    if (i === undefined) throw unknownStep(chain.name, id);
    return i;
  };
  let problem = memory && refixIncrementally(memory, progress, progress.nowMs, position);
  if (problem === undefined) {
    const fixed = fixedSteps(chain.name, index, progress);
    problem = memory
      ? refixProblem(memory.base, fixed, progress.nowMs, memory.solved)
      : rebuilt(buildProblem({ ...source, fixed }), options._internal?.rebuild);
  }
  const warmStart = choiceOf(problem, previous);
  // A streamed run stays planned for its first answer token.
  const answer = options.answer ?? previous.answer;
  let solved = answer
    ? solvePerceived(problem, objective, solver, answer, warmStart)
    : solveObjective(problem, objective, solver, warmStart);
  // The solver priced every pending call at now's window: a run that may go past a price change
  // is chosen again (`cost` and budgets) and priced at the windows its steps start in, as
  // `planChain` does. Far from a change this costs one pass over the options.
  if (startAt !== undefined && mayCrossPriceChange(problem, startAt, pool)) {
    if (answer === undefined)
      solved = solveAtStarts(solved, objective, solver, startAt, pool) ?? solved;
    solved = pricedAtStarts(solved, objective, startAt, pool);
  }
  // Steps that stand as they did keep their planned step from `previous`.
  const kept = memory && { plan: previous, problem: memory.solved };
  const plan = buildPlan(chain.name, objective, solved, progress.nowMs, answer, undefined, kept);
  // The problem at now's prices: the next re-plan refixes it and prices it again.
  rememberProblem(plan, memory?.base ?? problem, problem);
  const changes: PlanChange[] = [];
  const steps = plan.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.state !== 'pending') continue;
    const from = stepAt(previous, i, step.stepId)?.model;
    if (from !== step.model) changes.push({ stepId: step.stepId, from, to: step.model });
  }
  return { plan, changes };
}

/**
 * `solved` with each chosen option priced at the window in force when it starts (started steps
 * as they are), its frontier and baselines priced so too, and a budget's warning when that puts
 * it over.
 */
function pricedAtStarts(
  solved: ObjectiveSolution,
  objective: Plan['objective'],
  startAt: number,
  pool: ReplanChainOptions['pool'],
): ObjectiveSolution {
  const atStarts = (problem: Problem, choice: Int32Array) =>
    costAtStarts(problem, choice, startAt, pool);
  const repriced = priceAtStarts(solved.problem, solved.choice, startAt, pool);
  if (repriced === undefined) return { ...solved, costAtStarts: atStarts };
  const costUsd = computeCost(repriced, solved.choice);
  const warnings = [...solved.warnings, ...overBudget(objective, costUsd, solved.warnings)];
  return { ...solved, problem: repriced, warnings, costAtStarts: atStarts };
}

/** The step of `plan` with this id: plans list their steps by position, so look there first. */
function stepAt(plan: Plan, position: number, id: string) {
  const step = plan.steps[position];
  return step?.stepId === id ? step : plan.step(id);
}

/** With `rebuild`, `problem` timed from its first step in every pass, started or not. */
function rebuilt(problem: Problem, rebuild: boolean | undefined): Problem {
  return rebuild ? { ...problem, pendingFrom: 0 } : problem;
}

/** The started steps of `progress`, by id. */
function fixedSteps(
  chain: string,
  known: ReadonlyMap<string, number>,
  progress: RunProgress,
): Map<string, FixedStep> {
  const fixed = new Map<string, FixedStep>();
  const add = (id: string, step: FixedStep) => {
    if (!known.has(id)) throw unknownStep(chain, id);
    fixed.set(id, step);
  };
  for (const [id, step] of progress.running) {
    add(id, { state: 'running', startMs: step.startMs, model: step.model });
  }
  for (const [id, step] of progress.done) {
    const { startMs, endMs, model, costUsd } = step;
    add(id, { state: 'done', startMs, endMs, model, costUsd });
  }
  return fixed;
}

function unknownStep(chain: string, id: string): InvalidArgumentError {
  return invalid('progress', `Chain \`${chain}\` has no step \`${id}\` (in \`progress\`)`);
}

/** The previous plan's models as option indexes of `problem`; the cheapest where gone. */
function choiceOf(problem: Problem, previous: Plan): Int32Array {
  const { options, infos } = problem;
  const choice = new Int32Array(options.length);
  for (let i = 0; i < options.length; i++) {
    const list = options[i]!;
    // A started step has its one option.
    if (list.length === 1) continue;
    choice[i] = optionOfModel(list, stepAt(previous, i, infos[i]!.step.id)?.model);
  }
  return choice;
}

function invalid(argument: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument, message });
}
