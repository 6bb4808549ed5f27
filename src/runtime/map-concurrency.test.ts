import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { models } from '../models';
import { createMemoryEstimateStore } from '../scheduler/estimate-store';
import type { Plan } from '../scheduler/plan';
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

describe("a map on a model whose concurrency only the runtime's `limits` cap", () => {
  const summarise = llm({
    prompt: (item: string) => `Summarise ${item}`,
    models: ['deepseek-flash'],
    maxOutputTokens: 100,
  });
  const fan = (items: number) =>
    chain(`fan-${items}`, { input: z.object({}) })
      .step(
        'first',
        fn(() => 'ready'),
      )
      .map('items', () => Array.from({ length: items }, (_, index) => `item ${index}`), summarise, {
        concurrency: 8,
      })
      .step('report', llm({ prompt: ({ items }) => `Report on ${items.length} items` }));

  it('is planned, re-planned and stream-planned in ceil(N / c) waves, as with the cap in the profile', async () => {
    const clock = createVirtualClock();
    const viaLimits = createRuntime({
      models: models.emulated({ clock }),
      limits: { 'deepseek-flash': { concurrency: 3 } },
      replan: 'always',
      hedge: false,
      clock,
    });
    const viaProfile = createRuntime({
      models: models.withOverrides(models.emulated({ clock }), {
        models: { 'deepseek-flash': { rateLimits: { concurrency: 3 } } },
      }),
      hedge: false,
      clock,
    });
    const mapMs = (plan: Plan) => plan.step('items')!.predicted.durationMs;
    // One item is one wave; 7 items at 3 at once are 3 waves.
    const wave = mapMs(viaLimits.plan(fan(1), {}));
    expect(mapMs(viaLimits.plan(fan(7), {}))).toBeCloseTo(3 * wave, 6);
    expect(mapMs(viaLimits.plan(fan(7), {}))).toBe(mapMs(viaProfile.plan(fan(7), {})));
    expect(mapMs(viaLimits.plan(fan(7), {}, { answer: 'report' }))).toBeCloseTo(3 * wave, 6);
    // The re-plan after `first` predicts the map not yet started at the same cap.
    const replans: Plan[] = [];
    viaLimits.on('replan', (event) => replans.push(event.plan));
    await viaLimits.run(fan(7), {});
    expect(replans.length).toBeGreaterThan(0);
    expect(mapMs(replans[0]!)).toBeCloseTo(3 * wave, 6);
  });
});
