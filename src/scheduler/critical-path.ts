import type { StepNode } from '../chain';

/** Earliest and latest times of each step, the makespan and the critical path. */
export interface Schedule {
  readonly startMs: ReadonlyMap<string, number>;
  readonly endMs: ReadonlyMap<string, number>;
  /** How much later each step could end without delaying the chain. */
  readonly slackMs: ReadonlyMap<string, number>;
  readonly durationMs: number;
  /** Steps with no slack, from the first to the last along one longest path. */
  readonly criticalPath: readonly string[];
}

/** Slack below this counts as none (floating-point noise). */
const epsilonMs = 1e-6;

/**
 * Forward and backward passes over the dependency graph (steps are in a topological order, as a
 * chain builds them): every step starts when the last step it needs ends.
 */
export function computeSchedule(
  steps: readonly StepNode[],
  durationOf: (step: StepNode) => number,
): Schedule {
  const startMs = new Map<string, number>();
  const endMs = new Map<string, number>();
  let durationMs = 0;
  for (const step of steps) {
    let start = 0;
    for (const need of step.needs) start = Math.max(start, endMs.get(need) ?? 0);
    const end = start + durationOf(step);
    startMs.set(step.id, start);
    endMs.set(step.id, end);
    durationMs = Math.max(durationMs, end);
  }

  const latestEnd = new Map<string, number>();
  for (const step of steps) latestEnd.set(step.id, durationMs);
  for (let index = steps.length - 1; index >= 0; index--) {
    const step = steps[index]!;
    const latestStart = latestEnd.get(step.id)! - (endMs.get(step.id)! - startMs.get(step.id)!);
    for (const need of step.needs) {
      latestEnd.set(need, Math.min(latestEnd.get(need)!, latestStart));
    }
  }
  const slackMs = new Map<string, number>();
  for (const step of steps) {
    const slack = latestEnd.get(step.id)! - endMs.get(step.id)!;
    slackMs.set(step.id, slack < epsilonMs ? 0 : slack);
  }
  return { startMs, endMs, slackMs, durationMs, criticalPath: tracePath(steps, endMs, durationMs) };
}

/** Walks back from the last step to end through the need that ended last. */
function tracePath(
  steps: readonly StepNode[],
  endMs: ReadonlyMap<string, number>,
  durationMs: number,
): string[] {
  const byId = new Map(steps.map((step) => [step.id, step]));
  let current = [...steps].reverse().find((step) => endMs.get(step.id)! >= durationMs - epsilonMs);
  const path: string[] = [];
  while (current !== undefined) {
    path.unshift(current.id);
    let latest: StepNode | undefined;
    for (const need of current.needs) {
      const candidate = byId.get(need);
      if (candidate && (latest === undefined || endMs.get(need)! > endMs.get(latest.id)!))
        latest = candidate;
    }
    current = latest;
  }
  return path;
}
