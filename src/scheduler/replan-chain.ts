import { InvalidArgumentError } from '../errors';
import { buildPlan } from './build-plan';
import { layoutOf } from './chain-layout';
import { solvePerceived } from './perceived';
import type { Plan, PlanChange } from './plan';
import { checkObjective, type PlanChainOptions } from './plan-chain';
import {
  buildProblem,
  type FixedStep,
  type Problem,
  recallProblem,
  refixProblem,
  rememberProblem,
} from './problem';
import { solveObjective } from './solve-objective';

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
  readonly progress: RunProgress;
  /** The plan the run follows; its models seed the search and the change list. */
  readonly previous: Plan;
}

/** A new plan for the steps not yet started, and the steps whose model it changed. */
export interface Replan {
  readonly plan: Plan;
  readonly changes: readonly PlanChange[];
}

/**
 * Plans the steps not yet started again, against measured times: done and running steps keep
 * their times and models, pending ones start no earlier than now. A deadline still counts from
 * the chain's start and a budget includes what was spent. Call it when a step ends.
 *
 * @example
 * ```ts
 * const { plan, changes } = replanChain({ chain, pool, objective: { deadlineMs: 30_000 },
 *   previous, progress: { nowMs: 9_000, done, running } });
 * ```
 */
export function replanChain(options: ReplanChainOptions): Replan {
  const { chain, pool, input, history, previous, progress, solver = 'auto', startAt } = options;
  const objective = options.objective ?? previous.objective;
  checkObjective(objective);
  const fixed = fixedSteps(chain.name, layoutOf(chain.steps).index, progress);
  const source = { chain, pool, input, history, fixed, releaseMs: progress.nowMs, startAt };
  const base = recallProblem(previous, source);
  const problem = base ? refixProblem(base, fixed, progress.nowMs) : buildProblem(source);
  const warmStart = choiceOf(problem, previous);
  // A streamed run stays planned for its first answer token.
  const answer = options.answer ?? previous.answer;
  const solved = answer
    ? solvePerceived(problem, objective, solver, answer, warmStart)
    : solveObjective(problem, objective, solver, warmStart);
  const plan = buildPlan(chain.name, objective, solved, progress.nowMs, answer);
  rememberProblem(plan, base ?? problem);
  const changes: PlanChange[] = [];
  for (const step of plan.steps) {
    const from = previous.step(step.stepId)?.model;
    if (step.state === 'pending' && from !== step.model) {
      changes.push({ stepId: step.stepId, from, to: step.model });
    }
  }
  return { plan, changes };
}

function fixedSteps(
  chain: string,
  known: ReadonlyMap<string, number>,
  progress: RunProgress,
): Map<string, FixedStep> {
  if (!Number.isFinite(progress?.nowMs) || progress.nowMs < 0) {
    throw invalid(
      'progress.nowMs',
      `Expected \`progress.nowMs\` to be a time from 0 up, got \`${progress?.nowMs}\``,
    );
  }
  const fixed = new Map<string, FixedStep>();
  const add = (id: string, step: FixedStep) => {
    if (!known.has(id))
      throw invalid('progress', `Chain \`${chain}\` has no step \`${id}\` (in \`progress\`)`);
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

/** The previous plan's models as option indexes of `problem`; the cheapest where gone. */
function choiceOf(problem: Problem, previous: Plan): Int32Array {
  const { options, infos } = problem;
  const choice = new Int32Array(options.length);
  for (let i = 0; i < options.length; i++) {
    const list = options[i]!;
    const model = previous.step(infos[i]!.step.id)?.model;
    let found = list.length - 1;
    for (let o = 0; o < list.length; o++) {
      if (list[o]!.model === model) {
        found = o;
        break;
      }
    }
    choice[i] = found;
  }
  return choice;
}

function invalid(argument: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument, message });
}
