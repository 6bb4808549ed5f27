import type { Objective } from './plan';
import type { Problem } from './problem';
import type { Timing } from './timing';
import { toleranceMs } from './timing';

/** What {@link explainChoice} reads: a solved problem with slack measured to its horizon. */
export interface ReasonContext {
  readonly problem: Problem;
  readonly choice: Int32Array;
  /** Times and latest ends (to the deadline, else the makespan) of the chosen plan. */
  readonly timing: Timing;
  readonly objective: Objective;
}

/**
 * Why step `i` got its option, in a few words for `plan.explain()`: a pin, a fan-out, or the
 * slack the step would have on its fastest candidate against the model it got.
 */
export function explainChoice(context: ReasonContext, i: number): string {
  const { problem, choice, timing, objective } = context;
  const info = problem.infos[i]!;
  const option = problem.options[i]![choice[i]!]!;
  if (info.fixed) {
    const where = option.model ? ` on ${option.model}` : '';
    return info.fixed.state === 'done' ? `done${where}` : `running${where}`;
  }
  if (!info.candidates) return 'plain code: no model';
  if (info.lane) return `pinned to the ${info.lane} lane`;
  const frontier = problem.unpinned[i]!;
  if (frontier.length === 1)
    return `${option.model} is both the fastest and the cheapest candidate`;
  if (objective === 'latency') return 'latency objective: the fastest candidate';
  if (objective === 'cost') return 'cost objective: the cheapest candidate';
  const list = problem.options[i]!;
  if (objective === 'balanced' && info.step.kind === 'map' && list.length === 1) {
    return `fan-out of ~${info.estimate.items} items: batch work goes to the cheapest model`;
  }
  const fastest = list[0]!;
  const cheapest = list[list.length - 1]!;
  const actual = timing.latestEnd[i]! - timing.end[i]!;
  // Slack the step would have on its fastest option: its latest end does not depend on it.
  const slack = actual + option.durationMs - fastest.durationMs;
  const critical = slack <= toleranceMs;
  // A budget's slack runs to the makespan, which a slow critical step sets itself.
  const budget = typeof objective === 'object' && 'budgetUsd' in objective;
  if (budget && actual <= toleranceMs && option !== fastest) {
    return `budget of $${objective.budgetUsd.toPrecision(3)} leaves no more for a faster model`;
  }
  if (option === cheapest) return `${seconds(slack)} of slack covers ${option.model}`;
  if (option !== fastest) {
    return `${seconds(slack)} of slack covers ${option.model}, not ${cheapest.model}`;
  }
  if (!critical) return `${seconds(slack)} of slack is less than ${cheapest.model} would add`;
  if (typeof objective === 'object' && 'deadlineMs' in objective) {
    return `deadline ${seconds(objective.deadlineMs)} needs this step fast`;
  }
  return 'on the critical path';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
