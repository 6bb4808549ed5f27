import type { ChainDefinition } from '../chain';
import type { Plan } from './plan';
import { type PlanChainOptions, planChain } from './plan-chain';
import { estimateStep } from './predict';
import { pricePoolAt } from './price-pool';

/** Plans kept per chain: a runtime plans a handful of objectives and inputs over and over. */
const plansPerChain = 16;

/** {@link planChain} with memory: a chain planned again with nothing changed gets the same plan. */
export interface PlanCache {
  plan(options: PlanChainOptions): Plan;
}

/**
 * Plans are pure functions of the chain, the pool, the objective, the price windows in force and
 * the steps' expected sizes, so a plan made from the same of each is reused rather than made
 * again (the same `Plan` object; plans are never changed). The chain input counts only through
 * the sizes it gives (map items, prompt tokens), so inputs of the same shape share a plan. A
 * `history` counts by its `version`: once a run has taught it something, the next plan is made
 * afresh (with a store without `version`, every plan is).
 * A plan reused inside the same price windows keeps the `priceWindows[].atMs` it was made at.
 */
export function createPlanCache(): PlanCache {
  const byChain = new WeakMap<ChainDefinition, Map<string, Plan>>();
  return {
    plan(options) {
      const { history } = options;
      if (history !== undefined && history.version === undefined) return planChain(options);
      const key = `${history?.version?.() ?? ''}|${planKey(options)}`;
      let plans = byChain.get(options.chain);
      if (plans === undefined) {
        plans = new Map();
        byChain.set(options.chain, plans);
      }
      // A pool is part of the key by identity: plans for another pool live in another entry.
      const pools = poolIds(options);
      const found = plans.get(pools + key);
      if (found !== undefined) return found;
      const plan = planChain(options);
      // A deferred plan waits until an instant: made again later, it waits less (the same for a
      // map whose items wait).
      if (plan.deferred !== undefined || plan.steps.some((step) => step.deferred)) return plan;
      if (plans.size >= plansPerChain) plans.delete(plans.keys().next().value!);
      plans.set(pools + key, plan);
      return plan;
    },
  };
}

const poolNumbers = new WeakMap<object, number>();
let nextPool = 0;

function poolIds(options: PlanChainOptions): string {
  let id = poolNumbers.get(options.pool);
  if (id === undefined) {
    id = nextPool++;
    poolNumbers.set(options.pool, id);
  }
  return `${id}|`;
}

/** What a plan depends on besides the chain and pool, as text. */
function planKey(options: PlanChainOptions): string {
  const { chain, pool, input, history, startAt, answer } = options;
  const { objective = 'balanced', solver = 'auto' } = options;
  const past = history ? { history, chain: chain.name } : undefined;
  // The window in force and when it ends: the same peak hours tomorrow are another plan.
  let windows = '';
  for (const [id, at] of pricePoolAt(pool, startAt).prices)
    windows += `${id}:${at.window}:${at.untilMs};`;
  let sizes = '';
  for (const step of chain.steps) {
    // Sizes as the plan sees them: the history's (under its version), else the input's.
    const e = estimateStep(step, input, past);
    sizes += `${e.inputTokens},${e.outputTokens},${e.items},${e.cachedInputTokens ?? 0};`;
  }
  const target = answer === undefined ? '' : `${answer.stepId}@${answer.readingTokensPerSecond}`;
  // Models chosen elsewhere (a coordinator's, for a worker's items) make another plan.
  const pinned = JSON.stringify(options._internal?.models ?? null);
  return `${JSON.stringify(objective)}|${solver}|${windows}|${target}|${pinned}|${sizes}`;
}
