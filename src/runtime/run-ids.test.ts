import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { InvalidArgumentError, ModelConfigError, RunStoreError, StepError } from '../errors';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryRunStore } from '../stores/memory-run-store';
import type { RunStore } from '../stores/run-store';
import { createRuntime } from './runtime';

const input = z.object({ topic: z.string() });

function setup(store?: RunStore) {
  const clock = createVirtualClock();
  const models = createEmulatedPool({ profiles: [mercury2], clock, seed: 3 });
  return { runtime: createRuntime({ models, store }), models };
}

const twoSteps = chain('two', { input })
  .step('a', llm({ prompt: ({ input }) => `About ${input.topic}` }))
  .step('b', llm({ prompt: ({ a }) => `More: ${a.text.slice(0, 20)}` }));

describe('run ids', () => {
  it('without a store, refuse an id whose run is under way, and free it when the run ends', async () => {
    const { runtime } = setup();
    const first = runtime.run(twoSteps, { topic: 'x' }, { runId: 'same' });
    const second = runtime.run(twoSteps, { topic: 'y' }, { runId: 'same' });
    await expect(second).rejects.toSatisfy(
      (error) =>
        InvalidArgumentError.isInstance(error) &&
        error.argument === 'runId' &&
        /`same`, whose run has not ended/.test(error.message),
    );
    expect(() => runtime.stream(twoSteps, { topic: 'y' }, { runId: 'same', answer: 'b' })).toThrow(
      /Expected `runId` to be the id of no run under way/,
    );
    const { trace } = await first;
    // The first run heard only its own events: two steps, both its.
    expect(trace.steps.map((record) => record.stepId)).toEqual(['a', 'b']);
    // Ended (and a failed run too): the id is free again.
    await expect(runtime.run(twoSteps, { topic: 'z' }, { runId: 'same' })).resolves.toBeDefined();
    await expect(runtime.run(twoSteps, { topic: 1 } as never, { runId: 'bad' })).rejects.toThrow();
    await expect(runtime.run(twoSteps, { topic: 'z' }, { runId: 'bad' })).resolves.toBeDefined();
    const streamed = runtime.stream(twoSteps, { topic: 's' }, { runId: 'streamed', answer: 'b' });
    await streamed.output;
    await expect(
      runtime.run(twoSteps, { topic: 'z' }, { runId: 'streamed' }),
    ).resolves.toBeDefined();
  });

  it('with a store, leave the refusal to its lease', async () => {
    const { runtime } = setup(createMemoryRunStore());
    const first = runtime.run(twoSteps, { topic: 'x' }, { runId: 'same' });
    await expect(runtime.run(twoSteps, { topic: 'x' }, { runId: 'same' })).rejects.toSatisfy(
      (error) => RunStoreError.isInstance(error) && error.reason === 'lease-held',
    );
    await first;
  });
});

describe('a run that fails its checks before any step', () => {
  it('leaves nothing in the store (not a run that reads as interrupted)', async () => {
    const store = createMemoryRunStore();
    const { runtime, models } = setup(store);
    const unknownModel = chain('bad', { input }).step(
      'a',
      llm({ prompt: 'x', models: ['mercury-3'] }),
    );
    await expect(runtime.run(unknownModel, { topic: 'x' }, { runId: 'r1' })).rejects.toSatisfy(
      ModelConfigError.isInstance,
    );
    await expect(
      runtime.run(twoSteps, { topic: 'x' }, { runId: 'r2', maxCostUsd: 1, budgetKey: 'team' }),
    ).rejects.toSatisfy(
      (error) => InvalidArgumentError.isInstance(error) && error.argument === 'budgetKey',
    );
    expect(await store.list()).toEqual([]);
    expect(await store.read('r1')).toBeUndefined();
    expect(models.stats().requests).toBe(0);
  });
});

describe('a `.returns` selector that throws', () => {
  it('fails the run with a StepError on `.returns` that carries what the steps spent', async () => {
    const { runtime } = setup();
    const broken = twoSteps.returns(({ b }) => (b as unknown as { x: { y: string } }).x.y);
    const error = await runtime.run(broken, { topic: 'x' }).catch((caught: unknown) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    const failure = error as StepError;
    expect(failure).toMatchObject({ chain: 'two', stepId: '.returns', reason: 'function' });
    expect(failure.message).toMatch(/the chain's `\.returns` selector threw: Cannot read/);
    expect(failure.cause).toBeInstanceOf(TypeError);
    expect(failure.trace?.status).toBe('error');
    expect(failure.trace?.steps.map((record) => record.stepId)).toEqual(['a', 'b']);
    expect(failure.trace?.costUsd).toBeGreaterThan(0);
  });
});
