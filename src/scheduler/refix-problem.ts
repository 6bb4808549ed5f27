import type { ModelPool } from '../models/pool';
import { learnedPool } from './learned-pool';
import { pricePoolAt } from './price-pool';
import {
  type FixedStep,
  firstPending,
  fixedOption,
  instantOf,
  type Problem,
  type ProblemArrays,
  type ProblemSource,
  type StepInfo,
} from './problem';
import { respeedMemory } from './respeed-problem';
import { speedChange } from './speed-pool';

/** What a plan leaves for the re-plans that follow it. */
export interface PlanMemory {
  /** The problem before any step was fixed (or as first built in a re-plan). */
  readonly base: Problem;
  /** The problem the plan was solved on, its started steps fixed: `base` before the run. */
  readonly solved: Problem;
}

/**
 * Where a plan keeps its memory: a hidden field of the plan, not a `WeakMap` entry. V8's
 * collections of new space keep a `WeakMap`'s values alive (only full collections clear them),
 * so every problem remembered there outlived its plan until the next full collection.
 */
const memoryOf = Symbol('hotpath.planMemory');

interface Remembering {
  [memoryOf]?: PlanMemory;
}

/**
 * Keeps the problem a plan was solved from (`solved`, with its started steps) and the one it was
 * refixed from (`base`), for the re-plans that follow it.
 */
export function rememberProblem(plan: object, base: Problem, solved: Problem = base): void {
  Object.defineProperty(plan, memoryOf, { value: { base, solved }, configurable: true });
}

/**
 * The problems `plan` was solved from, if it was made here from the same sources: the same
 * chain, input, history, calendar start and price windows, and the same pool or one scaled from
 * the same pool (`scaleSpeeds`), whose steps on the models that sped up or slowed down are
 * then predicted again.
 */
export function recallProblem(plan: object, source: ProblemSource): PlanMemory | undefined {
  const memory = (plan as Remembering)[memoryOf];
  if (memory === undefined) return undefined;
  const { chain, pool, input, history, startAt } = memory.base.source;
  const same =
    chain === source.chain &&
    input === source.input &&
    history === source.history &&
    startAt === source.startAt;
  const changed = same && pool !== source.pool ? speedChange(pool, source.pool) : undefined;
  if (!same || (pool !== source.pool && changed === undefined)) return undefined;
  const priced = pricePoolAt(
    learnedPool(source.pool, history),
    instantOf(startAt, source.releaseMs ?? 0),
  );
  if (priced.key !== memory.base.priceKey) return undefined;
  return changed?.size ? respeedMemory(memory, source.pool, changed) : memory;
}

/** Whether two started steps stand the same: then their one option is the same too. */
export function sameFixed(a: FixedStep, b: FixedStep): boolean {
  return (
    a.state === b.state &&
    a.startMs === b.startMs &&
    a.endMs === b.endMs &&
    a.costUsd === b.costUsd &&
    a.model === b.model
  );
}

/**
 * `base` with some steps started, incrementally: a step that stood the same in `previous` (the
 * problem of the plan being re-planned, refixed from the same `base`) keeps its info and option
 * from there (a running one only while now is the same: it never ends before now), a step newly
 * started gets its one option predicted, and every pending step keeps the options of `base`. So
 * a re-plan after a step ended costs a copy of the arrays and the options of the steps that
 * moved, not a prediction of every step on every model. Predictions of the pending steps stay as
 * they were when the run was planned.
 */
export function refixProblem(
  base: Problem,
  fixed: ReadonlyMap<string, FixedStep>,
  releaseMs: number,
  previous?: Problem,
): Problem {
  const infos = base.infos.slice();
  const options = base.options.slice();
  const unpinned = base.unpinned.slice();
  const fixedStart = new Float64Array(infos.length).fill(Number.NaN);
  const fix = fixInto(base, { infos, options, unpinned }, releaseMs);
  for (const [id, state] of fixed) {
    const i = base.index.get(id)!;
    fixedStart[i] = state.startMs;
    const was = previous?.infos[i];
    if (
      was?.fixed !== undefined &&
      sameFixed(was.fixed, state) &&
      (state.state === 'done' || previous!.releaseMs === releaseMs)
    ) {
      infos[i] = was;
      options[i] = previous!.options[i]!;
      unpinned[i] = previous!.unpinned[i]!;
      continue;
    }
    fix(i, state);
  }
  const source = { ...base.source, fixed, releaseMs };
  const pendingFrom = firstPending(fixedStart);
  return { ...base, infos, options, unpinned, fixedStart, releaseMs, pendingFrom, source };
}

/** Where a run stands, as {@link refixIncrementally} reads it (the shape of `RunProgress`). */
export interface StartedSteps {
  readonly done: ReadonlyMap<
    string,
    {
      readonly startMs: number;
      readonly endMs: number;
      readonly model?: string;
      readonly costUsd: number;
    }
  >;
  readonly running: ReadonlyMap<string, { readonly startMs: number; readonly model?: string }>;
}

/**
 * {@link refixProblem} from the problem of the plan being re-planned (`memory.solved`) rather
 * than from `base`, reading `started` directly: a step that stands as it did there costs a
 * comparison and nothing else (no object, no prediction), so a re-plan after one step ended does
 * the work of that step. `position` gives a step id's position and throws for an unknown one.
 * Undefined when a step started there is not started here (the caller refixes from `base`).
 */
export function refixIncrementally(
  memory: PlanMemory,
  started: StartedSteps,
  releaseMs: number,
  position: (id: string) => number,
): Problem | undefined {
  const { base, solved: previous } = memory;
  const infos = previous.infos.slice();
  const options = previous.options.slice();
  const unpinned = previous.unpinned.slice();
  const fixedStart = previous.fixedStart.slice();
  const sameNow = previous.releaseMs === releaseMs;
  let kept = 0;
  const fixOption = fixInto(base, { infos, options, unpinned }, releaseMs);
  const fix = (i: number, state: FixedStep) => {
    fixedStart[i] = state.startMs;
    fixOption(i, state);
  };
  for (const [id, step] of started.running) {
    // A step in both lists has ended.
    if (started.done.has(id)) continue;
    const i = position(id);
    const was = previous.infos[i]!.fixed;
    if (was !== undefined) kept++;
    const { startMs, model } = step;
    // A running step never ends before now: its option moves with now.
    if (was?.state === 'running' && was.startMs === startMs && was.model === model && sameNow)
      continue;
    fix(i, { state: 'running', startMs, model });
  }
  for (const [id, step] of started.done) {
    const i = position(id);
    const was = previous.infos[i]!.fixed;
    if (was !== undefined) kept++;
    const { startMs, endMs, model, costUsd } = step;
    const same =
      was?.state === 'done' &&
      was.startMs === startMs &&
      was.endMs === endMs &&
      was.model === model &&
      was.costUsd === costUsd;
    if (!same) fix(i, { state: 'done', startMs, endMs, model, costUsd });
  }
  if (kept < startedCount(previous.fixedStart)) return undefined;
  const pendingFrom = firstPending(fixedStart, previous.pendingFrom);
  const source = withFixed(base.source, infos, releaseMs);
  return { ...base, infos, options, unpinned, fixedStart, releaseMs, pendingFrom, source };
}

/**
 * What writes step `i` of `base`, started as `state`, into `arrays`: its info and its one option,
 * predicted on the pool `base` was priced with (priced once, on the first step fixed).
 */
function fixInto(
  base: Problem,
  arrays: ProblemArrays,
  releaseMs: number,
): (i: number, state: FixedStep) => void {
  const { chain, history, startAt } = base.source;
  let pool: ModelPool | undefined;
  return (i, state) => {
    pool ??= pricePoolAt(
      learnedPool(base.source.pool, history),
      instantOf(startAt, base.releaseMs),
    ).pool;
    const { step, estimate, candidates, lane } = base.infos[i]!;
    const info: StepInfo = { step, estimate, candidates, lane, fixed: state };
    const option = [fixedOption(info, state, releaseMs, pool, chain.name, history)];
    arrays.infos[i] = info;
    arrays.options[i] = option;
    arrays.unpinned[i] = option;
  };
}

function startedCount(fixedStart: Float64Array): number {
  let count = 0;
  for (let i = 0; i < fixedStart.length; i++) if (!Number.isNaN(fixedStart[i]!)) count++;
  return count;
}

/** `source` at `releaseMs` with the started steps of `infos`, listed on first read. */
function withFixed(
  source: ProblemSource,
  infos: readonly StepInfo[],
  releaseMs: number,
): ProblemSource {
  return new RefixedSource(source, infos, releaseMs) as unknown as ProblemSource;
}

/**
 * A source whose `fixed` is an own enumerable getter (spreads copy it) that every source shares,
 * for the reason plans share theirs (see `lazy-plan.ts`): a getter per object literal is a
 * hidden class per re-plan that keeps the problem's infos alive until a full collection.
 */
class RefixedSource {
  readonly #infos: readonly StepInfo[];
  #fixed: Map<string, FixedStep> | undefined;

  static readonly #getter: PropertyDescriptor = {
    get(this: RefixedSource) {
      return this.#listFixed();
    },
    enumerable: true,
    configurable: true,
  };

  constructor(source: ProblemSource, infos: readonly StepInfo[], releaseMs: number) {
    Object.assign(this, source);
    this.#infos = infos;
    (this as { releaseMs?: number }).releaseMs = releaseMs;
    Object.defineProperty(this, 'fixed', RefixedSource.#getter);
  }

  #listFixed(): Map<string, FixedStep> {
    if (this.#fixed === undefined) {
      this.#fixed = new Map();
      for (const info of this.#infos) if (info.fixed) this.#fixed.set(info.step.id, info.fixed);
    }
    return this.#fixed;
  }
}
