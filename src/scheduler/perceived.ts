import type { Objective } from './plan';
import { optionFrontier, type Problem, type StepOption } from './problem';
import { type ObjectiveSolution, type SolverChoice, solveObjective } from './solve-objective';

/**
 * Decoding speed a reader does not outrun, in output tokens a second: a streamed answer's model
 * must decode at least this fast. People read about 240 words a minute silently (Brysbaert,
 * "How many words do we read per minute?", Journal of Memory and Language 109, 2019; recalled,
 * not re-read, 2026-12-01), about 5 tokens a second at 1.3 tokens a word; 15 leaves room for
 * fast readers and skimming.
 */
export const defaultReadingTokensPerSecond = 15;

/** A streamed run's answer: the step whose text the user reads as it comes. */
export interface AnswerTarget {
  readonly stepId: string;
  /** @default {@link defaultReadingTokensPerSecond} */
  readonly readingTokensPerSecond?: number;
}

/**
 * Solves `objective` for what the user of a streamed run perceives: the time to the answer's
 * first token takes the makespan's place (the answer step counts up to its first token, steps
 * it does not wait for count nothing), and the answer step's models are those that decode at
 * least at the reading rate. The solution is handed back over the real durations, so the plan
 * still shows when every step ends.
 */
export function solvePerceived(
  problem: Problem,
  objective: Objective,
  solver: SolverChoice,
  answer: AnswerTarget,
  warmStart?: Int32Array,
): ObjectiveSolution & { readonly readingWarning?: string } {
  const target = problem.index.get(answer.stepId);
  if (target === undefined) return solveObjective(problem, objective, solver, warmStart);
  const reading = answer.readingTokensPerSecond ?? defaultReadingTokensPerSecond;
  const feeds = ancestorsOf(problem, target);
  const real = new Map<StepOption, StepOption>();
  let readingWarning: string | undefined;
  const options = problem.options.map((list, i) => {
    let kept = list;
    if (i === target) {
      const fast = list.filter(
        (option) => (option.candidate?.entry.profile.outputTokensPerSecond ?? 0) >= reading,
      );
      if (fast.length > 0) kept = fast;
      else
        readingWarning = `no model of \`${answer.stepId}\` decodes at the reading rate of ${reading} tokens/s`;
    }
    const mapped = kept.map((option) => {
      const durationMs =
        i === target
          ? (option.firstTokenMs ?? option.durationMs)
          : feeds.has(i)
            ? option.durationMs
            : 0;
      const copy = { ...option, durationMs };
      real.set(copy, option);
      return copy;
    });
    return i === target ? optionFrontier(mapped) : mapped;
  });
  const perceived: Problem = { ...problem, options, unpinned: options };
  const solved = solveObjective(
    perceived,
    objective,
    solver,
    warmStart && clampTo(warmStart, options),
  );
  const restored: Problem = {
    ...problem,
    options: solved.problem.options.map((list) => list.map((option) => real.get(option) ?? option)),
  };
  return {
    ...solved,
    problem: restored,
    warnings: readingWarning ? [...solved.warnings, readingWarning] : solved.warnings,
    // Slack and reasons are measured on the real schedule.
    horizonMs: undefined,
  };
}

/** The steps `target` waits for, directly or not. */
function ancestorsOf(problem: Problem, target: number): Set<number> {
  const seen = new Set<number>();
  const visit = (i: number) => {
    for (const need of problem.needs[i]!) {
      if (seen.has(need)) continue;
      seen.add(need);
      visit(need);
    }
  };
  visit(target);
  return seen;
}

function clampTo(choice: Int32Array, options: readonly (readonly StepOption[])[]): Int32Array {
  return choice.map((j, i) => Math.min(j, options[i]!.length - 1));
}
