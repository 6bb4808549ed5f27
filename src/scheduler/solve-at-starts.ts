import type { ModelPool } from '../models/pool';
import type { Objective } from './plan';
import { costAtStarts, createStartPricer, type StartPricer } from './price-at-start';
import {
  optionFrontier,
  type Problem,
  type StepOption,
  uniformChoice,
  widenOptions,
} from './problem';
import { type Goal, type Solution, searchSpace, solveExact } from './solve-exact';
import { type ObjectiveSolution, type SolverChoice, solveObjective } from './solve-objective';
import { computeTimes, createTiming, toleranceMs, toleranceUsd } from './timing';

/** How many times the heuristic prices the options at the starts of its last plan and solves. */
const maxRounds = 4;

/**
 * `cost` and `{ budgetUsd }` again, for a chain that may run past a price change: every plan
 * priced at the windows its steps start in, as the plan is (the solver priced every call at the
 * chain's start). `cost`: the cheapest such plan; a budget: the least makespan that fits, else
 * the cheapest plan, warned. Small chains search exactly, on all candidates (past a change, a
 * model that was dearer at the start may be cheaper); long ones price the options at the starts
 * of the last plan and solve again, a few rounds, keeping the best. Undefined for the other
 * objectives: the solution stands. Call it when `mayCrossPriceChange`.
 */
export function solveAtStarts(
  solved: ObjectiveSolution,
  objective: Objective,
  solver: SolverChoice,
  startAt: number,
  pool: ModelPool,
): ObjectiveSolution | undefined {
  const budgetUsd =
    typeof objective === 'object' && 'budgetUsd' in objective ? objective.budgetUsd : undefined;
  if (objective !== 'cost' && budgetUsd === undefined) return undefined;
  const wide = widenOptions(solved.problem);
  const pricer = createStartPricer(wide, startAt, pool);
  const judge = (choice: Int32Array): Solution => ({
    choice,
    durationMs: computeTimes(wide, choice, createTiming(wide)),
    costUsd: costAtStarts(wide, choice, startAt, pool),
  });
  const first = judge(widen(solved.problem, wide, solved.choice));
  const exact = solver === 'exact' || (solver === 'auto' && searchSpace(wide) < Infinity);
  const found = exact
    ? searchExactly(wide, pricer, budgetUsd, first)
    : searchInRounds(wide, pricer, objective, solver, first, judge);
  const { best } = found;
  // The rounds cannot tell that no plan fits, only that they found none.
  const [fits, cheapest] = found.complete
    ? ['no plan fits', 'the cheapest costs']
    : ['no plan found fits', 'the cheapest found costs'];
  const warnings =
    budgetUsd !== undefined && best.costUsd > budgetUsd + toleranceUsd
      ? [
          `${fits} the budget of ${usd(budgetUsd)}: ${cheapest} ${usd(best.costUsd)} at the prices when its steps start`,
        ]
      : [];
  return {
    ...settle(wide, best.choice, pricer),
    solver: found.complete ? 'exact' : 'heuristic',
    warnings,
  };
}

/**
 * The warning of a budget plan that, priced at the windows its steps start in, costs more than
 * the budget, when the solver gave none.
 */
export function overBudget(
  objective: Objective,
  costUsd: number,
  warnings: readonly string[],
): string[] {
  if (typeof objective !== 'object' || !('budgetUsd' in objective)) return [];
  const { budgetUsd } = objective;
  if (warnings.length > 0 || costUsd <= budgetUsd + toleranceUsd) return [];
  return [
    `the plan costs ${usd(costUsd)} at the prices when its steps start, over the budget of ${usd(budgetUsd)}`,
  ];
}

/** The least makespan within the budget at the starts' prices, else the cheapest plan. */
function searchExactly(
  wide: Problem,
  pricer: StartPricer,
  budgetUsd: number | undefined,
  first: Solution,
): { best: Solution; complete: boolean } {
  if (budgetUsd !== undefined) {
    const goal: Goal = { kind: 'budget', budgetUsd };
    const fits = first.costUsd <= budgetUsd + toleranceUsd ? first : undefined;
    const { solution, complete } = solveExact(wide, goal, fits, pricer);
    if (solution) return { best: solution, complete };
  }
  // The cheapest plan (the faster of equals): the least cost by a deadline that never comes.
  const cheapest: Goal = { kind: 'deadline', deadlineMs: Number.POSITIVE_INFINITY };
  const { solution, complete } = solveExact(wide, cheapest, first, pricer);
  return { best: solution ?? first, complete };
}

/**
 * The heuristic's answer on the options priced at the starts of the last plan, solved again
 * until it stands or {@link maxRounds} rounds, keeping the best plan at the starts' prices.
 */
function searchInRounds(
  wide: Problem,
  pricer: StartPricer,
  objective: Objective,
  solver: SolverChoice,
  first: Solution,
  judge: (choice: Int32Array) => Solution,
): { best: Solution; complete: boolean } {
  const budgetUsd =
    typeof objective === 'object' && 'budgetUsd' in objective ? objective.budgetUsd : undefined;
  let best = first;
  let last = first.choice;
  for (let round = 0; round < maxRounds; round++) {
    const local = frontierAtStarts(wide, last, pricer);
    const next = solveObjective(local, objective, solver);
    const choice = widen(local, wide, next.choice);
    if (sameChoice(choice, last)) break;
    const judged = judge(choice);
    if (isBetter(judged, best, budgetUsd)) best = judged;
    last = choice;
  }
  // The fastest plan, which the rounds may never try: a slow cheap step can push a step pinned
  // to its lane, or the rest, past a change to dearer prices.
  const fastest = judge(uniformChoice(wide.options, 'fastest'));
  if (isBetter(fastest, best, budgetUsd)) best = fastest;
  return { best, complete: false };
}

/** Whether `a` beats `b`: fits the budget where `b` does not, else faster, else cheaper. */
function isBetter(a: Solution, b: Solution, budgetUsd: number | undefined): boolean {
  const cheaper = a.costUsd < b.costUsd - toleranceUsd;
  const sameCost = Math.abs(a.costUsd - b.costUsd) <= toleranceUsd;
  const faster = a.durationMs < b.durationMs - toleranceMs;
  if (budgetUsd === undefined) return cheaper || (sameCost && faster);
  const aFits = a.costUsd <= budgetUsd + toleranceUsd;
  const bFits = b.costUsd <= budgetUsd + toleranceUsd;
  if (aFits !== bFits) return aFits;
  if (!aFits) return cheaper || (sameCost && faster);
  const sameTime = Math.abs(a.durationMs - b.durationMs) <= toleranceMs;
  return faster || (sameTime && cheaper);
}

/**
 * `wide` for a next round: each step's options priced at the instant it starts in `choice`'s
 * plan, without the ones another beats there on time and money (fastest first, cheapest last,
 * as the solvers read them). The option `choice` picked is not kept when another beats it: a
 * dominated option among the rest would be taken for the cheapest (the last) or break the
 * solvers' frontier.
 */
function frontierAtStarts(wide: Problem, choice: Int32Array, pricer: StartPricer): Problem {
  const start = startsOf(wide, choice);
  const options = wide.options.slice();
  for (let i = wide.pendingFrom; i < options.length; i++)
    options[i] = optionFrontier(pricedAt(wide, i, start[i]!, pricer));
  return { ...wide, options };
}

/**
 * `choice` of `wide` on a problem of its own, for the plan: each multi-option step's options
 * priced at the instant it starts, without the ones another beats there, the chosen one kept
 * (in order of time) even where another beats it.
 */
function settle(
  wide: Problem,
  choice: Int32Array,
  pricer: StartPricer,
): { problem: Problem; choice: Int32Array } {
  const start = startsOf(wide, choice);
  const options = wide.options.slice();
  const settled = choice.slice();
  for (let i = wide.pendingFrom; i < options.length; i++) {
    if (wide.options[i]!.length === 1) continue;
    const priced = pricedAt(wide, i, start[i]!, pricer);
    const mine = priced[choice[i]!]!;
    const kept = optionFrontier(priced);
    if (!kept.includes(mine)) {
      const at = kept.findIndex((option) => option.durationMs > mine.durationMs);
      kept.splice(at < 0 ? kept.length : at, 0, mine);
    }
    options[i] = kept;
    settled[i] = kept.indexOf(mine);
  }
  return { problem: { ...wide, options }, choice: settled };
}

/** When each step starts in `choice`'s plan. */
function startsOf(wide: Problem, choice: Int32Array): Float64Array {
  const timing = createTiming(wide);
  computeTimes(wide, choice, timing);
  return timing.start;
}

/** Step `i`'s options of `wide`, each priced at `startMs`. */
function pricedAt(wide: Problem, i: number, startMs: number, pricer: StartPricer): StepOption[] {
  return wide.options[i]!.map((option) => {
    const costUsd = pricer.costAt(i, option, startMs);
    return costUsd === option.costUsd ? option : { ...option, costUsd };
  });
}

/** `choice` of `from` as option indexes of `to`: the same model (candidate) on every step. */
function widen(from: Problem, to: Problem, choice: Int32Array): Int32Array {
  const mapped = new Int32Array(choice.length);
  for (let i = 0; i < choice.length; i++) {
    const option: StepOption = from.options[i]![choice[i]!]!;
    const list = to.options[i]!;
    let at = list.indexOf(option);
    if (at < 0) at = list.findIndex((other) => sameCandidate(other, option));
    mapped[i] = Math.max(at, 0);
  }
  return mapped;
}

function sameCandidate(a: StepOption, b: StepOption): boolean {
  if (a.candidate === undefined || b.candidate === undefined) return a.model === b.model;
  const x = a.candidate.entry;
  const y = b.candidate.entry;
  return x.id === y.id && x.endpoint === y.endpoint;
}

function sameChoice(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function usd(value: number): string {
  return `$${value.toPrecision(3)}`;
}
