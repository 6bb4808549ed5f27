import type { ChainDefinition } from '../src/chain';
import { catalog } from '../src/models/catalog';
import { createEmulatedPool } from '../src/models/emulated-pool';
import { type DoneStep, type Objective, planChain, replanChain } from '../src/scheduler';
import { createPlanCache } from '../src/scheduler/plan-cache';
import { replanChecked } from '../src/scheduler/replan-chain';
import { scaleSpeeds } from '../src/scheduler/speed-pool';
import { randomChain } from './lib/random-chain';
import { verdict } from './lib/stats';

import type { BenchRow } from './lib/table';

export type { BenchRow } from './lib/table';

/** The catalog's models, which every planning benchmark plans on. */
export const pool = createEmulatedPool({ profiles: Object.values(catalog) });

/** The median wall time of `run` in milliseconds, after a warm-up. */
export function timeIt(run: () => unknown, repeats: number): number {
  for (let k = 0; k < Math.min(3, repeats); k++) run();
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Half the steps done on their planned models, each ending 1.2x late: a run mid-way, re-planned
 * for the first time (every done step newly fixed).
 */
function halfway(chain: ChainDefinition, objective: Objective) {
  const previous = planChain({ chain, pool, objective });
  const done = new Map<string, DoneStep>();
  const cut = previous.steps[Math.floor(previous.steps.length / 2)]!.predicted.startMs;
  for (const step of previous.steps) {
    const { startMs, endMs, costUsd } = step.predicted;
    if (endMs <= cut)
      done.set(step.stepId, { startMs, endMs: endMs * 1.2, model: step.model, costUsd });
  }
  return { previous, progress: { nowMs: cut * 1.2, done, running: new Map() } };
}

/**
 * A step drifted in that run: the mid-run re-plan is the plan the run follows, then the next
 * step to start ends 1.5 times later than planned and costs 1.5 times more. What a runtime
 * re-plans after each step (an incremental re-plan: one step more done than last time).
 */
export function afterDrift(chain: ChainDefinition, objective: Objective) {
  const { previous: first, progress: mid } = halfway(chain, objective);
  const previous = replanChain({ chain, pool, objective, previous: first, progress: mid }).plan;
  let next: (typeof previous.steps)[number] | undefined;
  for (const step of previous.steps) {
    if (step.state !== 'pending') continue;
    if (next === undefined || step.predicted.startMs < next.predicted.startMs) next = step;
  }
  const { startMs, durationMs, costUsd } = next!.predicted;
  const endMs = startMs + durationMs * 1.5;
  const done = new Map(mid.done);
  done.set(next!.stepId, { startMs, endMs, model: next!.model, costUsd: costUsd * 1.5 });
  return {
    previous,
    progress: { nowMs: endMs, done, running: new Map() },
    model: next!.model,
  };
}

/**
 * What the runtime re-plans after that drift: the step took 1.5 times its prediction, so its
 * model's speed factor moves to 1.5 (`measureSpeed`'s first measurement) and the chain is
 * re-planned on the pool scaled by it (`src/runtime/replan.ts`, which calls `replanChecked`: its
 * own options are not checked again), the scaling timed too.
 */
function runtimeReplan(chain: ChainDefinition, objective: Objective): () => unknown {
  const { previous, progress, model } = afterDrift(chain, objective);
  const factors = new Map(model === undefined ? [] : [[model, 1.5]]);
  return () =>
    replanChecked({ chain, pool: scaleSpeeds(pool, factors), objective, previous, progress });
}

/**
 * Planning and re-planning time for random chains of 10, 100 and 1,000 steps on the catalog's
 * models, per objective (median of many runs), with the solver the planner picked.
 */
export function benchPlanning(sizes: readonly number[] = [10, 100, 1000], scale = 1): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const chain = randomChain(size);
    const fastest = planChain({ chain, pool, objective: 'latency' }).durationMs;
    const objectives: [string, Objective][] = [
      ['latency', 'latency'],
      ['cost', 'cost'],
      ['balanced', 'balanced'],
      ['deadline 1.5x fastest', { deadlineMs: fastest * 1.5 }],
      ['budget mid-way', { budgetUsd: midBudget(chain) }],
      ['deadline 1.5x fastest at 90%', { deadlineMs: fastest * 1.5, confidence: 0.9 }],
    ];
    const timed = Math.max(5, Math.round((size >= 1000 ? 30 : 200) * scale));
    for (const [label, objective] of objectives) {
      // A confidence plan samples its runs a few times per solve: tens of ms at 1,000 steps.
      const repeats =
        typeof objective === 'object' && 'confidence' in objective
          ? Math.max(5, Math.round(timed / 5))
          : timed;
      const plan = planChain({ chain, pool, objective });
      const planMs = timeIt(() => planChain({ chain, pool, objective }), repeats);
      // The first plan of a chain object (a new definition with the same steps): the planner
      // lays each chain's steps out once and keeps the layout while the steps live.
      const firstMs = timeIt(
        () => planChain({ chain: { ...chain, steps: [...chain.steps] }, pool, objective }),
        repeats,
      );
      // What a runtime pays for an unchanged chain, pool and objective: a cache lookup (it sizes
      // every step to build the key).
      const cache = createPlanCache();
      cache.plan({ chain, pool, objective });
      const reusedMs = timeIt(() => cache.plan({ chain, pool, objective }), repeats);
      const { previous, progress } = halfway(chain, objective);
      const replanMs = timeIt(
        () => replanChain({ chain, pool, objective, previous, progress }),
        repeats,
      );
      const drift = afterDrift(chain, objective);
      const { previous: before, progress: after } = drift;
      const driftMs = timeIt(
        () => replanChain({ chain, pool, objective, previous: before, progress: after }),
        repeats,
      );
      const runtimeMs = timeIt(runtimeReplan(chain, objective), repeats);
      rows.push({
        steps: String(size),
        objective: label,
        solver: plan.solver,
        'plan (ms)': planMs.toFixed(2),
        'new chain (ms)': firstMs.toFixed(2),
        'reused (ms)': reusedMs.toFixed(3),
        're-plan mid-run (ms)': replanMs.toFixed(2),
        're-plan after a drift (ms)': driftMs.toFixed(2),
        'runtime re-plan after a drift (ms)': runtimeMs.toFixed(2),
        target:
          size === 1000
            ? `plan <= 2 ms: ${verdict(planMs <= 2)}; re-plan after a drift <= 1 ms: ${verdict(Math.max(driftMs, runtimeMs) <= 1)}`
            : '',
      });
    }
  }
  return rows;
}

function midBudget(chain: ChainDefinition): number {
  const cheap = planChain({ chain, pool, objective: 'cost' }).costUsd;
  const fast = planChain({ chain, pool, objective: 'latency' }).costUsd;
  return (cheap + fast) / 2;
}
