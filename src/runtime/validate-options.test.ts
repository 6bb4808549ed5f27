import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { InvalidArgumentError, ModelConfigError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryRunStore } from '../stores';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({ q: z.string() });
const one = chain('one', { input }).step('answer', llm({ prompt: 'hi' }));
const store = createMemoryRunStore();

function pool() {
  return createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock: createVirtualClock() });
}

function create(options: Record<string, unknown>) {
  return () => createRuntime({ models: pool(), ...options } as RuntimeOptions);
}

describe('createRuntime option checks', () => {
  it.each([
    [{ limits: { 'mercury-2': { concurrency: 0 } } }, '`limits.mercury-2.concurrency`', '`0`'],
    [{ retry: { maxAttempts: 0 } }, '`retry.maxAttempts` to be a whole number from 1 up', '`0`'],
    [{ retry: { maxAttempts: -1 } }, '`retry.maxAttempts`', '`-1`'],
    [{ retry: { maxAttempts: Number.NaN } }, '`retry.maxAttempts`', '`NaN`'],
    [{ maxCostUsd: Number.NaN }, '`maxCostUsd` to be a number from 0 up', '`NaN` (number)'],
    [{ timeouts: { firstTokenMs: -5 } }, '`timeouts.firstTokenMs` to be a number above 0', '`-5`'],
    [{ timeouts: { idleMs: -5 } }, '`timeouts.idleMs` to be a number above 0', '`-5`'],
    [{ hedge: { maxShare: 2 } }, '`hedge.maxShare`', '`2`'],
    [{ replan: 'sometimes' }, "`replan` to be 'auto', 'always' or 'never'", '`sometimes`'],
    [{ circuitBreaker: { failureThreshold: 0 } }, '`circuitBreaker.failureThreshold`', '`0`'],
    [{ exporters: [{}] }, '`exporters[0]` to be an exporter', '`{}` (object)'],
    [{ onStepEnd: 'log' }, '`onStepEnd` to be a function', '`log`'],
    [{ objective: 'fastest' }, '`objective`', 'fastest'],
    [{ store: {} }, '`store` to be a run store', 'which has no `append`, `read`, `list`'],
    [{ store: Promise.resolve({}) }, 'got a promise', '`await` the factory first'],
    [
      { sharedLimits: {} },
      '`sharedLimits` to be shared limits',
      'which has no `acquire`, got `{}`',
    ],
    [{ sharedLimits: { acquire: () => {}, budget: 1 } }, '`sharedLimits`', 'no `budget`'],
    [
      { sharedLimits: Promise.resolve({}) },
      '`sharedLimits` to be shared limits, got a promise',
      '`await`',
    ],
    [
      { executor: {} },
      '`executor` to be a map executor',
      'which has no `runItems`, got `{}` (object)',
    ],
    [{ executor: () => {} }, '`executor`', 'no `runItems`'],
    [{ cache: 'yes', store }, 'Expected `cache` to be a boolean or `{ ttlMs }`', '`yes` (string)'],
    [{ cache: { ttlMs: 0 }, store }, '`cache.ttlMs` to be a number of ms above 0', '`0` (number)'],
    [{ cache: true }, 'Expected `cache` to be used with a `store`', 'keeps results there'],
    [
      { readingTokensPerSecond: '5' },
      '`readingTokensPerSecond` to be a number above 0',
      '`5` (string)',
    ],
    [
      { readingTokensPerSecond: 0 },
      '`readingTokensPerSecond` to be a number above 0',
      '`0` (number)',
    ],
  ])('refuses %j, naming the option', (options, expected, got) => {
    expect(create(options)).toThrow(expected);
    expect(create(options)).toThrow(got);
  });

  it('names the nearest option for an unknown key', () => {
    expect(create({ maxCostUSD: 1 })).toThrow(
      'Unknown option `maxCostUSD` of `createRuntime`; did you mean `maxCostUsd`?',
    );
    expect(create({ retry: { maxAttempt: 2 } })).toThrow('did you mean `retry.maxAttempts`?');
    expect(create({ limits: { mercury2: { concurrency: 2 } } })).toThrow(
      'Unknown option `limits.mercury2` of `createRuntime`; did you mean `limits.mercury-2`?',
    );
    expect(create({ onStepEnded: () => {} })).toThrow('did you mean `onStepEnd`?');
    expect(create({ zzzzzz: 1 })).toThrow('the options are `models`');
    expect(create({ cache: { ttl: 60_000 }, store })).toThrow(
      'Unknown option `cache.ttl` of `createRuntime`; did you mean `cache.ttlMs`?',
    );
  });

  it('refuses a wrong sharedLimits or executor when the runtime is made, before any step runs', () => {
    for (const [options, argument] of [
      [{ sharedLimits: {} }, 'sharedLimits'],
      [{ executor: {} }, 'executor'],
    ] as const) {
      let steps = 0;
      let caught: unknown;
      try {
        create({ ...options, onStepStart: () => steps++ })().run(one, { q: 'x' });
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught)).toBe(true);
      expect((caught as InvalidArgumentError).argument).toBe(argument);
      expect(steps).toBe(0);
    }
  });

  it('throws an InvalidArgumentError and makes no runtime', () => {
    let caught: unknown;
    try {
      create({ retry: { maxAttempts: 0 } })();
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).argument).toBe('retry.maxAttempts');
  });

  it('accepts every documented option', () => {
    expect(
      create({
        objective: { deadlineMs: 5000 },
        maxCostUsd: 0,
        replan: 'never',
        retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 10 },
        timeouts: { firstTokenMs: 1000, totalMs: Number.POSITIVE_INFINITY },
        hedge: false,
        limits: { 'mercury-2': { concurrency: 1, requestsPerMinute: 60, tokensPerMinute: 1e5 } },
        circuitBreaker: { failureThreshold: 1, cooldownMs: 0 },
        defaultMaxOutputTokens: 100,
        onStepEnd: () => {},
        exporters: [],
        store,
        cache: { ttlMs: 60_000 },
        sharedLimits: { acquire: async () => ({ waitedMs: 0, release: () => {} }) },
        executor: { runItems: async () => {} },
        readingTokensPerSecond: 20,
      }),
    ).not.toThrow();
    expect(create({ store, cache: true })).not.toThrow();
  });
});

describe('runtime.run option checks', () => {
  const runtime = createRuntime({ models: pool() });

  it('refuses a signal that is not an AbortSignal, before any call', async () => {
    let calls = 0;
    runtime.on('step:start', () => calls++);
    await expect(
      runtime.run(one, { q: 'x' }, { signal: { aborted: false } as unknown as AbortSignal }),
    ).rejects.toThrow('Expected `signal` to be an `AbortSignal`');
    expect(calls).toBe(0);
  });

  it('refuses a NaN budget and an unknown key', async () => {
    await expect(runtime.run(one, { q: 'x' }, { maxCostUsd: Number.NaN })).rejects.toThrow(
      'Expected `maxCostUsd` to be a number from 0 up, got `NaN` (number)',
    );
    await expect(
      runtime.run(one, { q: 'x' }, { maxCostUSD: 1 } as unknown as { maxCostUsd: number }),
    ).rejects.toThrow('Unknown option `maxCostUSD` of `runtime.run`; did you mean `maxCostUsd`?');
  });

  it('accepts a real signal', async () => {
    const { trace } = await runtime.run(
      one,
      { q: 'x' },
      { signal: new AbortController().signal, maxCostUsd: 1 },
    );
    expect(trace.steps).toHaveLength(1);
  });
});

describe('a step restricted to models not in the pool', () => {
  const pinned = chain('pinned', { input }).step(
    'answer',
    llm({ prompt: 'hi', models: ['mercury2'] }),
  );

  it('names the step and the nearest pool model, in plan and run', async () => {
    const runtime = createRuntime({ models: pool() });
    expect(() => runtime.plan(pinned)).toThrow(
      'Step `answer`: unknown model `mercury2` in `models`; did you mean `mercury-2`?',
    );
    const error = await runtime.run(pinned, { q: 'x' }).catch((caught: unknown) => caught);
    expect(ModelConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepId: 'answer', model: 'mercury2', reason: 'unknown-model' });
  });
});
