import type { ChainDefinition } from '../../chain';
import { findProfile } from '../../models/catalog';
import { computeCost } from '../../models/cost';
import type { ModelPool } from '../../models/pool';
import type { ModelPricing } from '../../models/profile';
import { findCandidates } from '../../scheduler/candidates';
import { estimateStep } from '../../scheduler/predict';
import type { BaselineCost, StepRecord } from '../records';

/** The reference model baselines are priced on when none is named and it is known. */
export const defaultReferenceModel = 'claude-haiku-4-5';

/** What {@link computeBaselines} needs. */
export interface BaselineInput {
  readonly chain: ChainDefinition;
  readonly pool: ModelPool;
  /** The chain input, which sizes the scheduler's estimates the same way the plan did. */
  readonly input?: unknown;
  /** @default 'claude-haiku-4-5' when in the pool or the catalog */
  readonly referenceModel?: string;
}

/**
 * Prices the run's actual token counts on the plan's all-fast and all-cheap choices and on one
 * reference model. Same tokens, other prices: the saving of the chosen plan, stated in dollars.
 */
export function computeBaselines(
  { chain, pool, input, referenceModel }: BaselineInput,
  calls: readonly StepRecord[],
): BaselineCost {
  const fastest = new Map<string, ModelPricing>();
  const cheapest = new Map<string, ModelPricing>();
  for (const step of chain.steps) {
    try {
      const candidates = findCandidates(chain.name, step, pool, estimateStep(step, input));
      if (candidates === undefined) continue;
      fastest.set(step.id, candidates.fastest.entry.profile.pricing);
      cheapest.set(step.id, candidates.cheapest.entry.profile.pricing);
    } catch {
      // A step with no candidate left cannot have run either: nothing to price.
    }
  }
  const referenceId = referenceModel ?? defaultReferenceModel;
  const reference =
    pool.models.find((entry) => entry.id === referenceId)?.profile ?? findProfile(referenceId);
  let allFast = 0;
  let allCheap = 0;
  let onReference = 0;
  for (const record of calls) {
    if (record.kind !== 'llm') continue;
    const own = record.model === undefined ? undefined : priceOf(pool, record.model);
    const price = (pricing: ModelPricing | undefined) =>
      pricing === undefined
        ? own === undefined
          ? record.costUsd
          : computeCost(own, record.usage)
        : computeCost(pricing, record.usage);
    allFast += price(fastest.get(record.stepId));
    allCheap += price(cheapest.get(record.stepId));
    onReference += price(reference?.pricing);
  }
  return {
    allFast,
    allCheap,
    reference: reference && { model: reference.id, costUsd: onReference },
  };
}

function priceOf(pool: ModelPool, id: string): ModelPricing | undefined {
  return pool.models.find((entry) => entry.id === id)?.profile.pricing ?? findProfile(id)?.pricing;
}

/**
 * The saving on the reference model as the waterfall and the HTML report state it: any saving
 * above 0, in whole percent (rounded, so 0.4% reads 0%); `undefined` when the run cost as much
 * or more, or the reference nothing.
 */
export function percentSaved(costUsd: number, referenceUsd: number): number | undefined {
  if (!(referenceUsd > 0)) return undefined;
  const saved = 1 - costUsd / referenceUsd;
  return saved > 0 ? Math.round(saved * 100) : undefined;
}
