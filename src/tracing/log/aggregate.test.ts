import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import { mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createRuntime } from '../../runtime/runtime';
import { createMemoryRunStore } from '../../stores/memory-run-store';
import { aggregateRuns, loggedRunOf } from './aggregate';

const fanOut = chain('fan-out', { input: z.object({ n: z.number() }) })
  .step('plan', llm({ prompt: ({ input }) => `Plan ${input.n} items` }))
  .map(
    'items',
    ({ input }) => Array.from({ length: input.n }, (_, index) => index),
    llm({ prompt: (index: number) => `Item ${index}` }),
  );

describe('aggregateRuns', () => {
  it('counts a model’s calls, latencies and costs from calls made, not records read back', async () => {
    const runtime = createRuntime({
      models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() }),
      store: createMemoryRunStore(),
      cache: true,
    });
    const called = await runtime.run(fanOut, { n: 3 });
    const cached = await runtime.run(fanOut, { n: 3 });
    expect(cached.trace.steps.every((record) => record.source === 'cache')).toBe(true);
    const [both] = aggregateRuns([loggedRunOf(called.trace), loggedRunOf(cached.trace)]);
    const [once] = aggregateRuns([loggedRunOf(called.trace)]);
    const model = (aggregate: typeof both) =>
      aggregate!.models.find((m) => m.model === 'mercury-2');
    // 1 plan call and 3 items, made once: the cached run made none.
    expect(model(both)?.calls).toBe(4);
    expect(model(both)).toEqual(model(once));
    // The runs still both count, at what each cost.
    expect(both!.runs).toBe(2);
    expect(both!.totalCostUsd).toBeCloseTo(called.trace.costUsd + cached.trace.costUsd, 12);
  });
});
