import { explainPlan } from './explain';
import { beatenNearby, frontierAt, undominated } from './frontier';
import { createPlan } from './lazy-plan';
import type { Percentiles } from './model-stats';
import { type AnswerTarget, defaultReadingTokensPerSecond } from './perceived';
import { overlapPipelines } from './pipeline-overlap';
import type {
  Objective,
  Plan,
  PlanDeferral,
  PlannedStep,
  PlanPriceWindow,
  PlanTotals,
} from './plan';
import { planEndpoints } from './plan-endpoints';
import { createPlannedStep, type PlannedFields, type ReasonOf } from './planned-step';
import { optionOfModel, type Problem, uniformChoice } from './problem';
import { explainChoice, quickReason } from './reasons';
import { makespanPercentiles, sampleMakespans } from './sample-makespans';
import type { ObjectiveSolution } from './solve-objective';
import { rememberSpreads } from './spread';
import {
  computeCost,
  computeSlack,
  computeTimes,
  createTiming,
  scratchTiming,
  type Timing,
  toleranceMs,
} from './timing';

/** A plan being re-planned, with the problem it was solved on. */
export interface KeptPlan {
  readonly plan: Plan;
  readonly problem: Problem;
}

/**
 * Turns a solved problem into the public {@link Plan}. `kept`, in a re-plan: started steps that
 * stand as they did there (the same option, the same times) keep their planned step.
 */
export function buildPlan(
  chain: string,
  objective: Objective,
  solved: ObjectiveSolution,
  nowMs: number,
  answer?: AnswerTarget,
  deferred?: PlanDeferral,
  kept?: KeptPlan,
): Plan {
  // `balanced` gives way to a plan the search saw that beats it on both time and cost.
  const { problem, choice, frontier } = settleFrontier(objective, solved);
  // Read into the planned steps and the path here, never kept.
  const timing = scratchTiming(problem, 'plan');
  const durationMs = schedule(problem, choice, timing);
  // Reasons are words for people: those that weigh a step's time against its slack are worked
  // out on first read, not on every plan the runtime makes; the others cost a constant string.
  let reasons: string[] | undefined;
  const reasonOf = (i: number) => {
    if (reasons === undefined) {
      const horizon = createTiming(problem);
      computeTimes(problem, choice, horizon);
      computeSlack(problem, horizon, solved.horizonMs ?? durationMs);
      const context = { problem, choice, timing: horizon, objective };
      reasons = problem.infos.map((_, k) => explainChoice(context, k));
    }
    return reasons[i]!;
  };
  // The plan reports slack to its own makespan, as v0 did; reasons use the deadline's.
  computeSlack(problem, timing, durationMs);
  const count = problem.infos.length;
  const steps: PlannedStep[] = new Array(count);
  for (let i = 0; i < count; i++) {
    steps[i] =
      (kept && keptStep(kept, problem, timing, i)) ??
      plannedStep(problem, choice, timing, i, quickReason(problem, choice, objective, i), reasonOf);
  }
  const { index } = problem;
  const endpoints = planEndpoints(problem, choice, steps);
  // Sampled on first read only: plans without a confidence never pay for it on the hot path.
  let sampled: Percentiles | undefined;
  const percentiles = () => {
    sampled ??= makespanPercentiles(sampleMakespans(problem, choice));
    return sampled;
  };
  // Two more schedules of the whole chain that the runtime never reads: worked out on first read.
  let uniform: Plan['baselines'] | undefined;
  const baselines = () => {
    const costOf = solved.costAtStarts;
    uniform ??= {
      allFast: totalsOf(problem, 'fastest', costOf),
      allCheap: totalsOf(problem, 'cheapest', costOf),
    };
    return uniform;
  };
  const plan: Plan = createPlan(
    {
      chain,
      objective,
      steps,
      durationMs,
      costUsd: computeCost(problem, choice),
      criticalPath: tracePath(problem, timing, durationMs),
      confidence: solved.confidence,
      warnings: solved.warnings,
      solver: solved.solver,
      nowMs,
      priceWindows: windowsOf(problem),
      ...answerFields(problem, choice, timing, answer),
      endpoints,
      deferred,
      step: (id) => {
        const i = index.get(id);
        return i === undefined ? undefined : steps[i];
      },
      explain: () => explainPlan(plan),
    },
    { durationPercentiles: percentiles, baselines, frontier },
  );
  rememberSpreads(plan, problem, choice);
  return plan;
}

function plannedStep(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  i: number,
  reason: string | undefined,
  reasonOf: ReasonOf,
): PlannedStep {
  const { step, estimate, candidates, fixed } = problem.infos[i]!;
  const option = problem.options[i]![choice[i]!]!;
  const slack = timing.latestEnd[i]! - timing.end[i]!;
  const slackMs = fixed || slack < toleranceMs ? 0 : slack;
  const model = option.model;
  const kind = step.kind;
  const fields: PlannedFields = {
    stepId: step.id,
    kind,
    model,
    endpoint: option.candidate?.entry.endpoint,
    lane:
      model === undefined ? undefined : model === candidates?.fastest.entry.id ? 'fast' : 'cheap',
    items: kind === 'map' ? estimate.items : undefined,
    predicted: {
      startMs: timing.start[i]!,
      endMs: timing.end[i]!,
      durationMs: option.durationMs,
      costUsd: option.costUsd,
      inputTokens: estimate.inputTokens,
      outputTokens: estimate.outputTokens,
    },
    slackMs,
    critical: !fixed && slackMs === 0,
    state: fixed?.state ?? 'pending',
  };
  return createPlannedStep(fields, reason, i, reasonOf);
}

/**
 * The planned step of a started step as `kept` planned it, when it stands the same here: the
 * same option (so the same model, figures and reason, which for a started step needs no times)
 * and the same start and end. Otherwise undefined.
 */
function keptStep(
  kept: KeptPlan,
  problem: Problem,
  timing: Timing,
  i: number,
): PlannedStep | undefined {
  if (problem.infos[i]!.fixed === undefined || kept.problem.options[i] !== problem.options[i]) {
    return undefined;
  }
  const step = kept.plan.steps[i];
  if (step === undefined || step.state === 'pending') return undefined;
  const { startMs, endMs } = step.predicted;
  return startMs === timing.start[i] && endMs === timing.end[i] ? step : undefined;
}

function settleFrontier(
  objective: Objective,
  solved: ObjectiveSolution,
): { problem: Problem; choice: Int32Array; frontier: () => PlanTotals[] } {
  const base = solved.base;
  const costOf = solved.costAtStarts;
  if (objective !== 'balanced' || base === undefined) {
    let points: PlanTotals[] | undefined;
    const frontier = () => {
      points ??= costOf
        ? frontierAt(solved.problem, solved.choice, costOf)
        : undominated(solved.problem, solved.choice).frontier;
      return points;
    };
    return { problem: solved.problem, choice: solved.choice, frontier };
  }
  // The choice in the unpinned problem's terms: the same model on every step.
  const count = base.options.length;
  const lifted = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const list = base.options[i]!;
    const model = solved.problem.options[i]![solved.choice[i]!]!.model;
    lifted[i] = optionOfModel(list, model);
  }
  // Most plans have no better one nearby: then the frontier waits for its first read.
  if (beatenNearby(base, lifted) === false) {
    let points: PlanTotals[] | undefined;
    const frontier = () => {
      points ??= costOf ? frontierAt(base, lifted, costOf) : undominated(base, lifted).frontier;
      return points;
    };
    return { problem: solved.problem, choice: solved.choice, frontier };
  }
  const settled = undominated(base, lifted);
  let moved = false;
  for (let i = 0; i < count && !moved; i++) moved = settled.choice[i] !== lifted[i];
  let points: PlanTotals[] | undefined;
  const frontier = () => {
    points ??= costOf ? frontierAt(base, lifted, costOf) : settled.frontier;
    return points;
  };
  return moved
    ? { problem: base, choice: settled.choice, frontier }
    : { problem: solved.problem, choice: solved.choice, frontier };
}

function windowsOf(problem: Problem): PlanPriceWindow[] {
  const { startAt } = problem.source;
  if (startAt === undefined) return [];
  const atMs = startAt + problem.releaseMs;
  return [...problem.prices].map(([model, at]) => ({
    model,
    window: at.window,
    atMs,
    untilMs: at.untilMs,
  }));
}

/**
 * The same chain with every pending step on its fastest or cheapest candidate, pins ignored;
 * priced by `costOf` when given (a chain that may run past a price change).
 */
function totalsOf(
  problem: Problem,
  pick: 'fastest' | 'cheapest',
  costOf?: (problem: Problem, choice: Int32Array) => number,
): PlanTotals {
  const uniform = { ...problem, options: problem.unpinned };
  const choice = uniformChoice(uniform.options, pick);
  return {
    durationMs: schedule(uniform, choice, createTiming(uniform)),
    costUsd: costOf ? costOf(uniform, choice) : computeCost(uniform, choice),
  };
}

/** The plan's times: pipelined maps overlap their producers. */
function schedule(problem: Problem, choice: Int32Array, timing: Timing): number {
  return problem.pipelined
    ? overlapPipelines(problem, choice, timing)
    : computeTimes(problem, choice, timing);
}

function answerFields(
  problem: Problem,
  choice: Int32Array,
  timing: Timing,
  answer: AnswerTarget | undefined,
): Pick<Plan, 'answer'> {
  const i = answer && problem.index.get(answer.stepId);
  if (answer === undefined || i === undefined) return {};
  const option = problem.options[i]![choice[i]!]!;
  return {
    answer: {
      stepId: answer.stepId,
      readingTokensPerSecond: answer.readingTokensPerSecond ?? defaultReadingTokensPerSecond,
      firstTokenMs: timing.start[i]! + (option.firstTokenMs ?? option.durationMs),
    },
  };
}

/** Walks back from the step that ends last through the need that held it up. */
function tracePath(problem: Problem, timing: Timing, durationMs: number): string[] {
  const { infos, needs } = problem;
  let current = -1;
  for (let i = infos.length - 1; i >= 0 && current < 0; i--) {
    if (timing.end[i]! >= durationMs - toleranceMs) current = i;
  }
  const path: string[] = [];
  while (current >= 0) {
    path.unshift(infos[current]!.step.id);
    let latest = -1;
    for (const need of needs[current]!) {
      if (latest < 0 || timing.end[need]! > timing.end[latest]!) latest = need;
    }
    // A pending step that waited for now, not for a need, starts the path.
    const waited = problem.infos[current]!.fixed !== undefined;
    const held = latest >= 0 && timing.end[latest]! >= timing.start[current]! - toleranceMs;
    current = latest >= 0 && (held || waited) ? latest : -1;
  }
  return path;
}
