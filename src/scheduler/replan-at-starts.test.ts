import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import type { Objective, Plan } from './plan';
import { planChain } from './plan-chain';
import { type DoneStep, replanChain } from './replan-chain';
import { enumeratePlansAt, pricedInstanceArbitrary, tenSteps } from './test-chains';

const settings = { seed: 20261207, numRuns: 200 };
const pricedInstance = pricedInstanceArbitrary();
const objectives = fc.constantFrom<Objective>('latency', 'cost', 'balanced', { budgetUsd: 0.01 });

/** Nothing started at time 0: a re-plan then is the plan `planChain` makes. */
const notStarted = { nowMs: 0, done: new Map(), running: new Map() };

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

/** Each step's model and predicted cost, and the plan's total. */
function costs(plan: Plan) {
  return {
    steps: plan.steps.map((step) => [step.stepId, step.model, step.predicted.costUsd]),
    costUsd: plan.costUsd,
  };
}

describe('re-plans of a run that may cross a price change', () => {
  it('choose and price the pending steps as planChain does, at their starts', () => {
    fc.assert(
      fc.property(pricedInstance, objectives, ({ instance, startAt }, objective) => {
        const options = { ...instance, objective, startAt, solver: 'exact' as const };
        const previous = planChain(options);
        const { plan } = replanChain({ ...options, previous, progress: notStarted });
        expect(costs(plan)).toEqual(costs(previous));
        expect(plan.warnings).toEqual(previous.warnings);
      }),
      settings,
    );
  });

  it('give `cost` the cheapest plan at the starts’ prices', () => {
    fc.assert(
      fc.property(pricedInstance, ({ instance, startAt }) => {
        const options = {
          ...instance,
          objective: 'cost' as const,
          startAt,
          solver: 'exact' as const,
        };
        const previous = planChain({ ...options, objective: 'latency' });
        const { plan } = replanChain({ ...options, previous, progress: notStarted });
        const least = Math.min(...enumeratePlansAt(instance, startAt).map((p) => p.costUsd));
        expect(relative(plan.costUsd, least)).toBeLessThan(1e-9);
      }),
      settings,
    );
  });

  it('with the heuristic, give `cost` a plan no dearer than the fastest one', () => {
    // The runs of planChain's test of the same (solve-at-starts.test.ts).
    fc.assert(
      fc.property(pricedInstance, ({ instance, startAt }) => {
        const options = { ...instance, startAt, solver: 'heuristic' as const };
        const fastest = planChain({ ...options, objective: 'latency' });
        const progress = notStarted;
        const { plan } = replanChain({
          ...options,
          objective: 'cost',
          previous: fastest,
          progress,
        });
        expect(plan.costUsd).toBeLessThanOrEqual(fastest.costUsd * (1 + 1e-8) + 1e-12);
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it('keep DeepSeek’s steps after 04:00 UTC off-peak when re-planned just before', () => {
    const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
    const chain = tenSteps();
    // Wednesday 2026-12-02, DeepSeek's peak ends at 04:00: the chain starts 3 s before. The
    // plan puts s4-s10 on DeepSeek off-peak; at the re-plan after s1 (1.2 s in) it is still
    // peak, when DeepSeek costs more than Mercury 2.
    const startAt = Date.parse('2026-12-02T04:00:00Z') - 3_000;
    const objective: Objective = 'cost';
    const previous = planChain({ chain, pool, objective, startAt });
    const first = previous.steps[0]!;
    const done = new Map<string, DoneStep>([
      [
        first.stepId,
        {
          startMs: 0,
          endMs: first.predicted.endMs,
          model: first.model,
          costUsd: first.predicted.costUsd,
        },
      ],
    ]);
    const progress = { nowMs: first.predicted.endMs, done, running: new Map() };
    const { plan } = replanChain({ chain, pool, objective, startAt, previous, progress });
    // The run as planned: the re-plan predicts what the plan did for the steps still to come.
    expect(costs(plan)).toEqual(costs(previous));
    // Some of them on DeepSeek after the change, at its off-peak prices.
    const late = plan.steps.filter(
      (step) => step.model === 'deepseek-flash' && step.predicted.startMs >= 3_000,
    );
    expect(late.length).toBeGreaterThan(0);
  });
});
