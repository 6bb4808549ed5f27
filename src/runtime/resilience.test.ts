import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Script, scriptedModel } from '../../test/helpers/scripted-model';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { BudgetExceededError, StepError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import type { HotpathEventName, HotpathEvents } from '../tracing/events';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({ q: z.string() });
const one = chain('one', { input })
  .step('answer', llm({ prompt: 'hi' }))
  .returns(({ answer }) => answer.text);

/** A runtime over two scripted models: `fast` (Mercury's profile) and `cheap` (DeepSeek's). */
function setup(
  fast: Script[],
  cheap: Script[] = [{ type: 'ok' }],
  options: Partial<RuntimeOptions> = {},
) {
  const clock = createVirtualClock();
  const models = {
    fast: scriptedModel('fast', clock, fast),
    cheap: scriptedModel('cheap', clock, cheap),
  };
  const pool = createModelPool(
    [
      defineModel(models.fast, { ...mercury2, id: 'fast' }),
      defineModel(models.cheap, { ...deepseekFlash, id: 'cheap' }),
    ],
    { clock },
  );
  const runtime = createRuntime({ models: pool, _internal: { random: () => 0.5 }, ...options });
  const events: Array<[HotpathEventName, unknown]> = [];
  for (const name of ['step:retry', 'step:fallback', 'step:hedge'] as const) {
    runtime.on(name, (payload: HotpathEvents[typeof name][0]) => events.push([name, payload]));
  }
  return { runtime, models, events, clock };
}

describe('retries', () => {
  it('retries a 429 after its Retry-After and succeeds on the same model', async () => {
    const { runtime, events, models } = setup([
      { type: 'http', status: 429, retryAfter: '1' },
      { type: 'ok' },
    ]);
    const { output, trace } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from fast');
    expect(models.fast.calls).toBe(2);
    expect(events).toEqual([
      [
        'step:retry',
        expect.objectContaining({ model: 'fast', attempt: 2, delayMs: 1000, reason: 'rate-limit' }),
      ],
    ]);
    expect(trace.steps[0]).toMatchObject({ model: 'fast', attempt: 2, status: 'ok' });
    expect(trace.steps[0]!.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('backs off exponentially on 5xx, then falls back to the next model', async () => {
    const { runtime, events, models } = setup([{ type: 'http', status: 500 }]);
    const { output, trace } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from cheap');
    expect(models.fast.calls).toBe(3);
    // Equal jitter with random() = 0.5: 3/4 of 250 ms, then 3/4 of 500 ms.
    expect(
      events.map(([name, payload]) => [name, (payload as { delayMs?: number }).delayMs]),
    ).toEqual([
      ['step:retry', 187.5],
      ['step:retry', 375],
      ['step:fallback', undefined],
    ]);
    expect(events[2]![1]).toMatchObject({
      from: 'fast',
      to: 'cheap',
      reason: 'fast kept failing: HTTP 500',
    });
    expect(trace.steps[0]).toMatchObject({
      model: 'cheap',
      attempt: 4,
      retries: 2,
      fallbacks: ['fast'],
      plannedModel: 'fast',
      provider: 'deepseek',
    });
  });

  it('fails at once on a 400, naming the step and the model', async () => {
    const { runtime, events, models } = setup([{ type: 'http', status: 400 }]);
    const error = await runtime.run(one, { q: 'x' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      stepId: 'answer',
      model: 'fast',
      attempt: 1,
      reason: 'model-call',
    });
    expect(error.message).toBe('Step `answer` of chain `one` failed on fast: HTTP 400');
    expect(models.fast.calls).toBe(1);
    expect(models.cheap.calls).toBe(0);
    expect(events).toEqual([]);
  });

  it('switches at once when Retry-After is longer than the step has slack', async () => {
    const { runtime, events, models } = setup([{ type: 'http', status: 429, retryAfter: '30' }]);
    const { output } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from cheap');
    expect(models.fast.calls).toBe(1);
    expect(events).toEqual([
      [
        'step:fallback',
        expect.objectContaining({
          from: 'fast',
          to: 'cheap',
          reason: 'Retry-After 30.0 s is longer than switching costs (6.0 s)',
        }),
      ],
    ]);
  });

  it('retries a stream cut mid-way and bills the partial answer', async () => {
    const { runtime, events, models } = setup([{ type: 'cut' }, { type: 'ok' }], undefined, {
      hedge: false,
    });
    const { trace } = await runtime.run(one, { q: 'x' });
    expect(models.fast.calls).toBe(2);
    expect(events[0]).toEqual(['step:retry', expect.objectContaining({ reason: 'stream-cut' })]);
    // The cut call sent "partial answer" (14 characters, 4 tokens) for a prompt of ~9 tokens.
    expect(trace.steps[0]!.usage.outputTokens).toBe(50 + 4);
  });

  it('times out a call with no first token and tries again', async () => {
    const { runtime, events, models } = setup([{ type: 'stall' }, { type: 'ok' }], undefined, {
      hedge: false,
      timeouts: { firstTokenMs: 2000 },
    });
    const { output, trace } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from fast');
    expect(models.fast.calls).toBe(2);
    expect(models.fast.open).toBe(0);
    expect(events[0]).toEqual([
      'step:retry',
      expect.objectContaining({ reason: 'timeout', error: 'no first token after 2000 ms' }),
    ]);
    expect(trace.durationMs).toBeGreaterThanOrEqual(2000);
  });
});

describe('hedging', () => {
  it('races the next model when the first is slow to start, keeps the winner, stops the loser', async () => {
    const { runtime, events, models, clock } = setup(
      [{ type: 'stall' }],
      [{ type: 'ok', ttftMs: 100 }],
    );
    const { output, trace } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from cheap');
    expect(models.fast.open).toBe(0);
    // Mercury's high-percentile first token: 60 + 1.5 x 500 + prefill of ~9 tokens ≈ 810 ms.
    const [started, decided] = events.map(
      ([, payload]) => payload as { outcome: string; atMs: number },
    );
    expect(started).toMatchObject({ outcome: 'started', primary: 'fast', hedge: 'cheap' });
    expect(started!.atMs).toBeCloseTo(810.2, 0);
    expect(decided).toMatchObject({ outcome: 'hedge-won' });
    expect(trace.steps[0]).toMatchObject({
      model: 'cheap',
      status: 'ok',
      plannedModel: 'fast',
      hedge: { model: 'cheap', won: true },
    });
    expect(clock.now()).toBeLessThan(2000);
  });

  it('keeps the primary when it answers first after all', async () => {
    const { runtime, events } = setup([{ type: 'ok', ttftMs: 900 }], [{ type: 'ok', ttftMs: 500 }]);
    const { output } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from fast');
    expect(events.map(([, payload]) => (payload as { outcome: string }).outcome)).toEqual([
      'started',
      'primary-won',
    ]);
  });

  it('does not hedge when the hedge allowance cannot cover the call', async () => {
    const { runtime, events } = setup([{ type: 'ok', ttftMs: 3000 }], undefined, {
      hedge: { maxShare: 0 },
      maxCostUsd: 1,
    });
    const { output } = await runtime.run(one, { q: 'x' });
    expect(output).toBe('hello from fast');
    expect(events).toEqual([]);
  });

  it('does not hedge steps off the critical path or when turned off', async () => {
    const { runtime, events } = setup([{ type: 'ok', ttftMs: 3000 }], undefined, { hedge: false });
    await runtime.run(one, { q: 'x' });
    expect(events).toEqual([]);
  });
});

describe('circuit breaker', () => {
  it('stops sending to a model that keeps failing', async () => {
    const { runtime, events, models } = setup([{ type: 'http', status: 503 }], [{ type: 'ok' }], {
      retry: { maxAttempts: 1 },
      circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
    });
    const fanOut = chain('fan', { input }).map(
      'items',
      () => [1, 2, 3, 4, 5, 6],
      llm({ prompt: (n: number) => `${n}`, lane: 'fast' }),
      {
        concurrency: 1,
      },
    );
    const { output } = await runtime.run(fanOut, { q: 'x' });
    expect(output.items).toHaveLength(6);
    expect(models.fast.calls).toBe(3);
    expect(models.cheap.calls).toBe(6);
    const reasons = events
      .filter(([name]) => name === 'step:fallback')
      .map(([, payload]) => (payload as { reason: string }).reason);
    expect(reasons.slice(3)).toEqual([
      'the circuit of fast is open',
      'the circuit of fast is open',
      'the circuit of fast is open',
    ]);
  });
});

describe('budgets', () => {
  it('refuses a call that would cross maxCostUsd and keeps what finished', async () => {
    const { runtime, models } = setup([{ type: 'ok' }]);
    const two = chain('two', { input })
      .step('first', llm({ prompt: 'a', maxOutputTokens: 100 }))
      .step('second', llm({ prompt: 'b', maxOutputTokens: 100_000 }));
    const error = await runtime
      .run(two, { q: 'x' }, { maxCostUsd: 0.001 })
      .catch((caught) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepId: 'second', model: 'fast', maxCostUsd: 0.001 });
    expect(models.fast.calls).toBe(1);
    expect(
      error.trace.steps.map((record: { stepId: string; status: string }) => [
        record.stepId,
        record.status,
      ]),
    ).toEqual([
      ['first', 'ok'],
      ['second', 'error'],
    ]);
    expect(error.trace.costUsd).toBeLessThanOrEqual(0.001);
    expect(error.spentUsd).toBeCloseTo(error.trace.costUsd, 12);
  });
});

describe('limits', () => {
  it('caps concurrent calls to a model across the runtime and reports the queue wait', async () => {
    const { runtime, models } = setup([{ type: 'ok', ttftMs: 100, durationMs: 100 }], undefined, {
      limits: { fast: { concurrency: 2 } },
    });
    let peak = 0;
    runtime.on('step:start', () => {
      peak = Math.max(peak, models.fast.open);
    });
    const fanOut = chain('fan', { input }).map(
      'items',
      () => [1, 2, 3, 4, 5, 6],
      llm({ prompt: (n: number) => `${n}`, lane: 'fast' }),
      {
        concurrency: 6,
      },
    );
    const { trace } = await runtime.run(fanOut, { q: 'x' });
    const waits = trace.items.items!.map((record) => record.queueWaitMs);
    expect(waits.filter((wait) => wait === 0)).toHaveLength(2);
    expect(Math.max(...waits.map(Number))).toBeCloseTo(400, 6);
    expect(peak).toBeLessThanOrEqual(2);
  });
});

describe('exporters', () => {
  it('wrap every model call with bindCall, retries included', async () => {
    const bound: string[] = [];
    const { runtime } = setup([{ type: 'http', status: 500 }, { type: 'ok' }], undefined, {
      exporters: [
        {
          name: 'binder',
          attach: () => () => {},
          bindCall: (step, call) => {
            bound.push(step.stepId);
            return call();
          },
        },
      ],
    });
    await runtime.run(one, { q: 'x' });
    expect(bound).toEqual(['answer', 'answer']);
  });
});

describe('fn steps', () => {
  it('are not retried: plain code fails at once', async () => {
    const { runtime } = setup([{ type: 'ok' }]);
    let calls = 0;
    const failing = chain('f', { input }).step(
      'boom',
      fn(() => {
        calls++;
        throw new Error('bad');
      }),
    );
    await expect(runtime.run(failing, { q: 'x' })).rejects.toThrow(
      'Step `boom` of chain `f` failed: bad',
    );
    expect(calls).toBe(1);
  });
});

describe('map item failures', () => {
  const over = () => ['a', 'b', 'c', 'd', 'e'];
  const answer = llm({ prompt: (letter: string) => letter, lane: 'fast', hedge: false });
  const collecting = chain('items', { input }).map('answers', over, answer, {
    concurrency: 1,
    onItemError: 'collect',
  });
  const skipping = chain('items', { input }).map('answers', over, answer, {
    concurrency: 1,
    onItemError: 'skip',
  });
  const scripts: Script[] = [
    { type: 'ok', text: 'A' },
    { type: 'http', status: 400 },
    { type: 'ok', text: 'C' },
    { type: 'http', status: 400 },
    { type: 'ok', text: 'E' },
  ];

  it('collects every item in input order, results and errors, none missing', async () => {
    const { runtime } = setup(scripts);
    const { output } = await runtime.run(collecting, { q: 'x' });
    expect(
      output.answers.map((result) =>
        result.ok ? result.value.text : `error: ${result.error.message}`,
      ),
    ).toEqual([
      'A',
      'error: Step `answers` (item 1) of chain `items` failed on fast: HTTP 400',
      'C',
      'error: Step `answers` (item 3) of chain `items` failed on fast: HTTP 400',
      'E',
    ]);
  });

  it('skips failed items', async () => {
    const { runtime } = setup(scripts);
    const { output, trace } = await runtime.run(skipping, { q: 'x' });
    expect(output.answers.map((answer) => answer.text)).toEqual(['A', 'C', 'E']);
    expect(trace.items.answers!.map((record) => record.status)).toEqual([
      'ok',
      'error',
      'ok',
      'error',
      'ok',
    ]);
  });
});
