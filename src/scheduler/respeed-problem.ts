import type { ModelPool } from '../models/pool';
import { respeedCandidates } from './candidates';
import { learnedPool } from './learned-pool';
import { pricePoolAt } from './price-pool';
import {
  firstPending,
  instantOf,
  type Problem,
  type ProblemArrays,
  predictPosition,
  type StepInfo,
} from './problem';
import type { PlanMemory } from './refix-problem';

/**
 * `memory` on `pool`, a pool scaled from the one it was planned on where the models `changed`
 * sped up or slowed down (the runtime's measured speed factors): the steps that may run on one
 * of them, or have started on one, are predicted again on `pool` (their token estimates as
 * planned); every other step keeps its options, which `pool` predicts the same. In the problem
 * the plan was solved on, those steps are left unstarted, so that the re-plan fixes them again
 * on `pool`. So a re-plan after a model's factor moved costs the predictions of the steps on
 * that model, not a new problem.
 */
export function respeedMemory(
  memory: PlanMemory,
  pool: ModelPool,
  changed: ReadonlySet<string>,
): PlanMemory {
  const { base, solved } = memory;
  const moved = movedSteps(base.infos, changed);
  if (moved.length === 0) return memory;
  const { chain, history, startAt, pinned } = base.source;
  const at = {
    chain: chain.name,
    pool: pricePoolAt(learnedPool(pool, history), instantOf(startAt, base.releaseMs)).pool,
    history,
    releaseMs: base.releaseMs,
    pinned,
  };
  const arrays = copyArrays(base);
  for (const i of moved) {
    const { step, estimate, fixed, candidates } = base.infos[i]!;
    const found = candidates && respeedCandidates(candidates, at.pool, changed, estimate);
    predictPosition(at, arrays, i, step, estimate, fixed, found);
  }
  const respedBase: Problem = { ...base, ...arrays, source: { ...base.source, pool } };
  if (solved === base) return { base: respedBase, solved: respedBase };
  return { base: respedBase, solved: unstarted(solved, respedBase, moved, changed) };
}

/** The positions of the steps that may run, or have started, on a model in `changed`. */
function movedSteps(infos: readonly StepInfo[], changed: ReadonlySet<string>): number[] {
  const moved: number[] = [];
  for (let i = 0; i < infos.length; i++) {
    const { candidates, fixed } = infos[i]!;
    let on = fixed?.model !== undefined && changed.has(fixed.model);
    if (candidates !== undefined && !on) {
      for (const candidate of candidates.all) on ||= changed.has(candidate.entry.id);
    }
    if (on) moved.push(i);
  }
  return moved;
}

function copyArrays(problem: Problem): ProblemArrays {
  return {
    infos: problem.infos.slice(),
    options: problem.options.slice(),
    unpinned: problem.unpinned.slice(),
  };
}

/**
 * `solved` with the steps at `moved` as `base` has them, not started, but for the started steps
 * that stand as they did: on a model whose speed stayed, planned in the same lane.
 */
function unstarted(
  solved: Problem,
  base: Problem,
  moved: readonly number[],
  changed: ReadonlySet<string>,
): Problem {
  const { infos, options, unpinned } = copyArrays(solved);
  const fixedStart = solved.fixedStart.slice();
  let pendingFrom = solved.pendingFrom;
  for (const i of moved) {
    const info = base.infos[i]!;
    const was = solved.infos[i]!;
    if (was.fixed !== undefined && stands(was, info, changed)) continue;
    infos[i] = info.fixed === undefined ? info : { ...info, fixed: undefined };
    options[i] = base.options[i]!;
    unpinned[i] = base.unpinned[i]!;
    fixedStart[i] = Number.NaN;
    if (i < pendingFrom) pendingFrom = i;
  }
  pendingFrom = firstPending(fixedStart, pendingFrom);
  return { ...solved, infos, options, unpinned, fixedStart, pendingFrom };
}

/**
 * Whether a started step's option and planned step stay the same on the faster or slower
 * models: its model's speed stayed (a done step's figures are measured, a running one's
 * predicted on its model) and it is in the same lane (a step on the fastest candidate is `fast`).
 */
function stands(was: StepInfo, now: StepInfo, changed: ReadonlySet<string>): boolean {
  const model = was.fixed?.model;
  if (model !== undefined && changed.has(model)) return false;
  const fast = (info: StepInfo) => model === info.candidates?.fastest.entry.id;
  return fast(was) === fast(now);
}
