import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryEstimateStore, type EstimateStore, recordStep } from './estimate-store';
import { createPlanCache } from './plan-cache';

const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
const research = chain('research', { input: z.object({ topics: z.array(z.string()) }) })
  .step('plan', llm({ prompt: ({ input }) => `Plan ${input.topics.join(', ')}` }))
  .map('notes', ({ input }) => input.topics, llm({ prompt: (topic) => `Notes on ${topic}` }))
  .step('report', llm({ prompt: 'Write it up.' }));
const definition = research.definition;
const input = (...topics: string[]) => ({ topics });

// 2026-12-02 is a Wednesday: 02:00 UTC is DeepSeek's peak, 12:00 UTC off-peak.
const peak = Date.parse('2026-12-02T02:00:00Z');
const offPeak = Date.parse('2026-12-02T12:00:00Z');

describe('a plan cache', () => {
  it('gives the same plan for the same chain, pool, objective and sizes', () => {
    const plans = createPlanCache();
    const first = plans.plan({ chain: definition, pool, input: input('aa', 'bb') });
    expect(plans.plan({ chain: definition, pool, input: input('aa', 'bb') })).toBe(first);
    // Another input of the same shape sizes every prompt the same: the same plan.
    expect(plans.plan({ chain: definition, pool, input: input('cc', 'dd') })).toBe(first);
  });

  it('plans again when the objective, the item count, the prompt size or the pool differ', () => {
    const plans = createPlanCache();
    const base = plans.plan({ chain: definition, pool, input: input('a', 'b') });
    const cost = plans.plan({ chain: definition, pool, input: input('a', 'b'), objective: 'cost' });
    expect(cost).not.toBe(base);
    expect(cost.objective).toBe('cost');
    const more = plans.plan({ chain: definition, pool, input: input('a', 'b', 'c') });
    expect(more.step('notes')?.items).toBe(3);
    const longer = plans.plan({ chain: definition, pool, input: input('a'.repeat(4000), 'b') });
    expect(longer).not.toBe(base);
    const other = createEmulatedPool({ profiles: [mercury2] });
    expect(plans.plan({ chain: definition, pool: other, input: input('a', 'b') })).not.toBe(base);
  });

  it('plans again in another price window, and keeps the plan inside one', () => {
    const plans = createPlanCache();
    const atPeak = plans.plan({ chain: definition, pool, input: input('a'), startAt: peak });
    const later = plans.plan({
      chain: definition,
      pool,
      input: input('a'),
      startAt: peak + 60_000,
    });
    expect(later).toBe(atPeak);
    const off = plans.plan({ chain: definition, pool, input: input('a'), startAt: offPeak });
    expect(off).not.toBe(atPeak);
    expect(off.priceWindows.find((w) => w.model === 'deepseek-flash')?.window).toBe('off-peak');
  });

  it('plans again once the history has learned something', () => {
    const plans = createPlanCache();
    const history = createMemoryEstimateStore();
    const first = plans.plan({ chain: definition, pool, input: input('a'), history });
    expect(plans.plan({ chain: definition, pool, input: input('a'), history })).toBe(first);
    recordStep(history, {
      chain: 'research',
      step: definition.steps[2]!,
      model: 'mercury-2',
      durationMs: 9_000,
      inputTokens: 5_000,
      outputTokens: 3_000,
    });
    const learned = plans.plan({ chain: definition, pool, input: input('a'), history });
    expect(learned).not.toBe(first);
    expect(learned.step('report')?.predicted.outputTokens).not.toBe(
      first.step('report')?.predicted.outputTokens,
    );
  });

  it('plans every time with a history that has no version', () => {
    const plans = createPlanCache();
    const memory = createMemoryEstimateStore();
    const history: EstimateStore = { get: memory.get, put: memory.put };
    const first = plans.plan({ chain: definition, pool, input: input('a'), history });
    expect(plans.plan({ chain: definition, pool, input: input('a'), history })).not.toBe(first);
  });
});
