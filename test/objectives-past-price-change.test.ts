import { createVirtualClock, models, type Objective, planChain } from 'hotpath';
import { describe, expect, it } from 'vitest';
import { research } from '../examples/research';
import { paretoFrontier } from '../src/scheduler/frontier';
import { bestByBudget, enumeratePlansAt } from '../src/scheduler/test-chains';

// 2026-12-02 is a Wednesday: DeepSeek's peak starts at 01:00 UTC, one second after the chain,
// so every DeepSeek call after the first step costs twice what it does at the start.
const startAt = Date.parse('2026-12-02T00:59:59Z');
const pool = models.emulated({ clock: createVirtualClock() });
const input = { question: 'Why are diffusion LLMs fast?' };
const instance = { chain: research.definition, pool };
// Every assignment, each call priced at the window it starts in (the cheapest is $0.001838).
const plans = enumeratePlansAt(instance, startAt, input);
const cheapest = Math.min(...plans.map((p) => p.costUsd));

const plan = (objective: Objective) =>
  planChain({ chain: research.definition, pool, input, objective, startAt });

describe('the research chain one second before the peak', () => {
  it('warns when its budget plan, priced at its steps’ starts, is over the budget', () => {
    for (const budgetUsd of [0.0017, 0.0018]) {
      const planned = plan({ budgetUsd });
      expect(planned.costUsd).toBeGreaterThan(budgetUsd);
      expect(planned.warnings).toHaveLength(1);
      expect(planned.explain()).toContain('warning:');
    }
  });

  it('shows the frontier and the baselines priced as the plan is', () => {
    const frontier = paretoFrontier(plans).map(({ durationMs, costUsd }) => ({
      durationMs,
      costUsd,
    }));
    const allFlash = plan('latency');
    for (const objective of ['cost', 'balanced', { budgetUsd: 0.0017 }] as const) {
      const planned = plan(objective);
      expect(planned.frontier).toHaveLength(frontier.length);
      planned.frontier.forEach((point, k) => {
        expect(point.durationMs).toBeCloseTo(frontier[k]!.durationMs, 6);
        expect(point.costUsd).toBeCloseTo(frontier[k]!.costUsd, 12);
      });
      // All fast is the latency plan, priced the same way.
      expect(planned.baselines.allFast.costUsd).toBeCloseTo(allFlash.costUsd, 12);
      // All cheap runs every step on DeepSeek Flash: its later calls at peak.
      expect(planned.baselines.allCheap.costUsd).toBeCloseTo(0.0033033, 7);
    }
  });
});

describe('the research chain one second before the peak, planned at its steps’ prices', () => {
  it('gives the cheapest plan, warned, for a budget no plan fits', () => {
    for (const budgetUsd of [0.0017, 0.0018]) {
      expect(bestByBudget(plans, budgetUsd)).toBeUndefined();
      const planned = plan({ budgetUsd });
      expect(planned.costUsd).toBeCloseTo(cheapest, 12);
      expect(planned.warnings).toEqual([
        `no plan fits the budget of $${budgetUsd.toPrecision(3)}: the cheapest costs $0.00184 at the prices when its steps start`,
      ]);
    }
  });

  it('gives the least makespan within a budget some plan fits', () => {
    for (const budgetUsd of [0.0019, 0.00219, 0.0022]) {
      const planned = plan({ budgetUsd });
      expect(planned.warnings).toEqual([]);
      expect(planned.costUsd).toBeLessThanOrEqual(budgetUsd);
      expect(planned.durationMs).toBeCloseTo(bestByBudget(plans, budgetUsd)!, 6);
    }
  });

  it('gives the cheapest plan for `cost`, on the frontier it shows', () => {
    const planned = plan('cost');
    expect(planned.costUsd).toBeCloseTo(cheapest, 12);
    expect(planned.explain()).not.toContain('this plan is off it');
  });
});

describe('the research chain one second before the peak ends', () => {
  // At peak, Mercury is cheaper than DeepSeek Flash; from 04:00 Flash is again.
  const endAt = Date.parse('2026-12-02T03:59:59Z');
  const atEnd = enumeratePlansAt(instance, endAt, input);

  it('keeps a budget that only the plans priced at their steps’ starts keep', () => {
    for (const budgetUsd of [0.0018, 0.0019, 0.002]) {
      const planned = planChain({
        chain: research.definition,
        pool,
        input,
        objective: { budgetUsd },
        startAt: endAt,
      });
      expect(planned.warnings).toEqual([]);
      expect(planned.costUsd).toBeLessThanOrEqual(budgetUsd);
      expect(planned.durationMs).toBeCloseTo(bestByBudget(atEnd, budgetUsd)!, 6);
    }
  });
});
