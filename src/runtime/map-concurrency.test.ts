import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { models } from '../models';
import { createMemoryEstimateStore } from '../scheduler/estimate-store';
import { createRuntime } from './runtime';

describe('a map on a model that admits fewer calls at once than the step asks', () => {
  it('is stored per wave of the calls that really ran together, and predicted as it ran', async () => {
    const clock = createVirtualClock();
    // The step asks for 8 at once; deepseek-flash admits 2, so its 8 items run in 4 waves.
    const pool = models.withOverrides(models.emulated({ clock }), {
      models: { 'deepseek-flash': { rateLimits: { concurrency: 2 } } },
    });
    const history = createMemoryEstimateStore();
    const runtime = createRuntime({ models: pool, history, hedge: false, clock });
    const fan = chain('fan', { input: z.object({}) }).map(
      'items',
      () => Array.from({ length: 8 }, (_, index) => `item ${index}`),
      llm({
        prompt: (item: string) => `Summarise ${item}`,
        models: ['deepseek-flash'],
        maxOutputTokens: 100,
      }),
      { concurrency: 8 },
    );
    const { trace } = await runtime.run(fan, {});
    const actual = trace.steps.find((step) => step.stepId === 'items')!.durationMs;
    const stored = history.get({ chain: 'fan', stepId: 'items', model: 'deepseek-flash' })!;
    expect(stored.durationMs).toBeCloseTo(actual / 4, 6);
    // The plan multiplies by the same 4 waves: the measured run again, not 4 times it.
    const predicted = runtime.plan(fan, {}).step('items')!.predicted.durationMs;
    expect(predicted).toBeCloseTo(actual, 6);
  });
});
