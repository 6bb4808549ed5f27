import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyChain, chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { createEmulatedModel } from '../emulator/emulated-model';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createModelPool, defineModel } from '../models/pool';
import type { ReplanEvent } from '../tracing/events';
import type { ReplanMode } from './replan';
import { createRuntime } from './runtime';

// Ten sequential calls of up to 500 output tokens (the scheduler's worked example).
const sequential = Array.from({ length: 10 }, (_, index) => index + 1).reduce<AnyChain>(
  (built, index) =>
    (built as any).step(`s${index}`, llm({ prompt: `step ${index}`, maxOutputTokens: 500 })),
  chain('ten', { input: z.object({}) }),
);

/** DeepSeek is planned with its catalog profile but really decodes 3x slower. */
function slowDeepseekRuntime(replan: ReplanMode) {
  const clock = createVirtualClock();
  const slow = {
    ...deepseekFlash,
    outputTokensPerSecond: deepseekFlash.outputTokensPerSecond / 3,
  };
  const pool = createModelPool(
    [
      defineModel(createEmulatedModel({ profile: mercury2, clock }), mercury2),
      defineModel(createEmulatedModel({ profile: slow, clock }), deepseekFlash),
    ],
    { clock },
  );
  const runtime = createRuntime({
    models: pool,
    objective: { deadlineMs: 30_000 },
    replan,
    hedge: false,
  });
  const replans: ReplanEvent[] = [];
  runtime.on('replan', (event) => replans.push(event));
  return { runtime, replans };
}

/** Mercury 2's first request is answered with a 429 and Retry-After of 3 s; a 6 s deadline. */
function rateLimitedOnceRuntime() {
  const clock = createVirtualClock();
  const pool = createEmulatedPool({
    clock,
    faults: [
      { fault: { kind: 'rate-limit', retryAfterSeconds: 3 }, model: 'mercury-2', requests: [1] },
    ],
  });
  const runtime = createRuntime({
    models: pool,
    clock,
    hedge: false,
    objective: { deadlineMs: 6000 },
  });
  const replans: ReplanEvent[] = [];
  runtime.on('replan', (event) => replans.push(event));
  return { runtime, replans };
}

describe('re-planning while the chain runs', () => {
  it('upgrades later steps when the first ones come in slower than predicted, and meets the deadline', async () => {
    const { runtime, replans } = slowDeepseekRuntime('auto');
    const planned = runtime.plan(sequential, {});
    const cheapAtStart = planned.steps.filter((step) => step.model === 'deepseek-flash').length;
    expect(cheapAtStart).toBeGreaterThan(0);
    expect(planned.durationMs).toBeLessThanOrEqual(30_000);

    const { trace } = await runtime.run(sequential, {});
    expect(replans.length).toBeGreaterThan(0);
    const upgrades = replans
      .flatMap((event) => event.changes)
      .filter((change) => change.to === 'mercury-2');
    expect(upgrades.length).toBeGreaterThan(0);
    const cheapRan = trace.steps.filter((record) => record.model === 'deepseek-flash').length;
    expect(cheapRan).toBeLessThan(cheapAtStart);
    expect(trace.durationMs).toBeLessThanOrEqual(30_000);
  });

  it('misses the same deadline without re-planning (the re-plan is what saved it)', async () => {
    const { runtime, replans } = slowDeepseekRuntime('never');
    const { trace } = await runtime.run(sequential, {});
    expect(replans).toEqual([]);
    expect(trace.durationMs).toBeGreaterThan(30_000);
  });

  it('does not re-plan a balanced run that goes as predicted', async () => {
    const clock = createVirtualClock();
    const pool = createModelPool(
      [defineModel(createEmulatedModel({ profile: mercury2, clock }), mercury2)],
      { clock },
    );
    const runtime = createRuntime({ models: pool });
    let replans = 0;
    runtime.on('replan', () => replans++);
    await runtime.run(sequential, {});
    expect(replans).toBe(0);
  });

  it('does not read a Retry-After wait as a slow model: later steps stay on it and meet the deadline', async () => {
    const { runtime, replans } = rateLimitedOnceRuntime();
    const three = ['a', 'b', 'c'].reduce<AnyChain>(
      (built, id) => (built as any).step(id, llm({ prompt: `Step ${id}`, maxOutputTokens: 300 })),
      chain('three', { input: z.object({}) }),
    );
    expect(runtime.plan(three, {}).step('b')?.model).toBe('mercury-2');
    const { trace } = await runtime.run(three, {});
    // Step a waited 3 s for its second attempt: the step is late (a re-plan), the model is not.
    expect(trace.steps[0]).toMatchObject({ stepId: 'a', model: 'mercury-2', attempt: 2 });
    expect(trace.steps[0]!.durationMs).toBeGreaterThan(3000);
    expect(replans[0]?.after).toBe('a');
    expect(replans[0]?.plan.step('b')?.model).toBe('mercury-2');
    expect(trace.steps.map((record) => record.model)).toEqual([
      'mercury-2',
      'mercury-2',
      'mercury-2',
    ]);
    expect(trace.durationMs).toBeLessThanOrEqual(6000);
  });

  it('does not read a map item’s Retry-After wait as a slow model either', async () => {
    const { runtime, replans } = rateLimitedOnceRuntime();
    const mapThenTwo = (chain('map', { input: z.object({}) }) as any)
      .map(
        'a',
        () => ['x', 'y'],
        llm({
          prompt: (item: string) => `Item ${item}`,
          models: ['mercury-2'],
          maxOutputTokens: 100,
        }),
        { concurrency: 2 },
      )
      .step('b', llm({ prompt: 'Step b', maxOutputTokens: 100 }))
      .step('c', llm({ prompt: 'Step c', maxOutputTokens: 100 })) as AnyChain;
    const { trace } = await runtime.run(mapThenTwo, {});
    expect(trace.items.a?.map((item) => item.attempt).sort()).toEqual([1, 2]);
    expect(replans[0]?.after).toBe('a');
    expect(replans[0]?.plan.step('b')?.model).toBe('mercury-2');
    expect(trace.durationMs).toBeLessThanOrEqual(6000);
  });
});
