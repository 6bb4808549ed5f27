import { formatSeconds } from './explain';
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
 * time a slower model adds against the slack it has (to the deadline, under one). The figures
 * are those of the plan's table: the slack column, or differences of predicted durations.
 */
export function explainChoice(context: ReasonContext, i: number): string {
  const { problem, choice, objective } = context;
  return quickReason(problem, choice, objective, i) ?? timedReason(context, i);
}

/**
 * The reason of step `i` when it does not depend on the plan's times (a started step, code, a
 * pin, a single candidate, the `latency` and `cost` objectives, a fan-out under `balanced`):
 * cheap enough to give every plan at once. Otherwise undefined.
 */
export function quickReason(
  problem: Problem,
  choice: Int32Array,
  objective: Objective,
  i: number,
): string | undefined {
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
  return undefined;
}

/** The reason of a step that {@link quickReason} has none for: its time against its slack. */
function timedReason(context: ReasonContext, i: number): string {
  const { problem, choice, timing, objective } = context;
  const option = problem.options[i]![choice[i]!]!;
  const list = problem.options[i]!;
  const fastest = list[0]!;
  const cheapest = list[list.length - 1]!;
  // Time left on the model the step got, to the horizon: the makespan (the slack column of
  // `plan.explain()`) or, under a deadline, the deadline (then said as time to spare, since the
  // column still measures to the makespan).
  const left = timing.latestEnd[i]! - timing.end[i]!;
  const shown = formatSeconds(left < toleranceMs ? 0 : left);
  const deadline = typeof objective === 'object' && 'deadlineMs' in objective;
  // A budget's slack runs to the makespan, which a slow critical step sets itself.
  const budget = typeof objective === 'object' && 'budgetUsd' in objective;
  if (budget && left <= toleranceMs && option !== fastest) {
    return `budget of $${objective.budgetUsd.toPrecision(3)} leaves no more for a faster model`;
  }
  if (option !== fastest) {
    // Every figure is one the table shows or a difference of two, so a reader can check it.
    const added = formatSeconds(option.durationMs - fastest.durationMs);
    const fits = deadline
      ? `${option.model} fits before the deadline: +${added}, ${shown} to spare`
      : `${option.model} fits in the slack: +${added}, ${shown} left`;
    return option === cheapest ? fits : `${fits}; ${cheapest.model} would not fit`;
  }
  if (left > toleranceMs) {
    const adds = formatSeconds(cheapest.durationMs - fastest.durationMs);
    const room = deadline ? `${shown} to spare before the deadline` : `${shown} of slack`;
    return `${room}, less than the ${adds} ${cheapest.model} would add`;
  }
  if (deadline) return `deadline ${formatSeconds(objective.deadlineMs)} needs this step fast`;
  return 'on the critical path';
}
