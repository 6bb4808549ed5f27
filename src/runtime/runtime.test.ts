import type { LanguageModelV4 } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { InvalidInputError, RunAbortedError, StepError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { computeCost } from '../models/cost';
import { createEmulatedPool } from '../models/emulated-pool';
import { createModelPool, defineModel } from '../models/pool';
import type { StepRecord } from '../tracing/records';
import { createRuntime } from './runtime';

const input = z.object({ question: z.string() });

function emulatedRuntime() {
  const clock = createVirtualClock();
  const models = createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock });
  let runs = 0;
  return createRuntime({ models, _internal: { generateRunId: () => `run-${++runs}` } });
}

describe('runtime.run', () => {
  it('runs independent steps side by side', async () => {
    const runtime = emulatedRuntime();
    const both = chain('both', { input }).parallel({
      a: llm({ prompt: ({ input }) => `a: ${input.question}` }),
      b: llm({ prompt: ({ input }) => `b: ${input.question}` }),
    });
    const { output, trace } = await runtime.run(both, { question: 'q' });
    const [a, b] = ['a', 'b'].map((id) => trace.steps.find((record) => record.stepId === id)!);
    expect(a!.startMs).toBe(0);
    expect(b!.startMs).toBe(0);
    expect(a!.startMs).toBeLessThan(b!.endMs);
    expect(b!.startMs).toBeLessThan(a!.endMs);
    expect(output.a.text.length).toBeGreaterThan(0);
    expect(output.b.text).not.toBe(output.a.text);
  });

  it('starts a step only when what it needs is done', async () => {
    const runtime = emulatedRuntime();
    const sequential = chain('seq', { input })
      .step('first', llm({ prompt: 'one' }))
      .step('second', llm({ prompt: ({ first }) => `after ${first.text.slice(0, 10)}` }));
    const { trace } = await runtime.run(sequential, { question: 'q' });
    const [first, second] = trace.steps;
    expect(second!.startMs).toBeGreaterThanOrEqual(first!.endMs);
    expect(trace.criticalPath).toEqual(['first', 'second']);
  });

  it('never runs more map items at once than the limit', async () => {
    const runtime = emulatedRuntime();
    let active = 0;
    let peak = 0;
    runtime.on('step:start', (event) => {
      if (event.item !== undefined) peak = Math.max(peak, ++active);
    });
    runtime.on('step:end', (record) => {
      if (record.item !== undefined) active--;
    });
    const fanOut = chain('fan', { input }).map(
      'answers',
      () => Array.from({ length: 10 }, (_, index) => `query ${index}`),
      llm({ prompt: (query: string) => query }),
      { concurrency: 3 },
    );
    const { output, trace } = await runtime.run(fanOut, { question: 'q' });
    expect(peak).toBe(3);
    expect(output.answers).toHaveLength(10);
    expect(trace.items.answers).toHaveLength(10);
    expect(trace.calls).toBe(10);
  });

  it('keeps map results in item order', async () => {
    const runtime = emulatedRuntime();
    const clock = runtime.models.clock!;
    const mapped = chain('order', { input })
      .map(
        'slow',
        () => [30, 10, 20],
        fn(async (ms: number) => {
          await clock.sleep(ms);
          return ms;
        }),
      )
      .returns(({ slow }) => slow);
    const { output } = await runtime.run(mapped, { question: 'q' });
    expect(output).toEqual([30, 10, 20]);
  });

  it('records usage and cost equal to tokens times the model prices', async () => {
    const runtime = emulatedRuntime();
    const single = chain('single', { input }).step(
      'only',
      llm({ prompt: 'hello', maxOutputTokens: 100 }),
    );
    const { trace } = await runtime.run(single, { question: 'q' });
    const record = trace.steps[0]!;
    const profile = record.model === mercury2.id ? mercury2 : deepseekFlash;
    expect(record.usage.outputTokens).toBeGreaterThanOrEqual(80);
    expect(record.usage.outputTokens).toBeLessThanOrEqual(100);
    expect(record.costUsd).toBe(computeCost(profile.pricing, record.usage));
    expect(record.costUsd).toBeCloseTo(
      (record.usage.inputTokens * profile.pricing.inputPerMTok +
        record.usage.outputTokens * profile.pricing.outputPerMTok) /
        1e6,
      15,
    );
    expect(trace.costUsd).toBe(record.costUsd);
    expect(record.timeToFirstTokenMs).toBeGreaterThan(profile.timeToFirstTokenMs * 0.5);
  });

  it('returns a structured output validated by its schema', async () => {
    const runtime = emulatedRuntime();
    const structured = chain('structured', { input })
      .step(
        'plan',
        llm({
          prompt: ({ input }) => input.question,
          output: z.object({ queries: z.array(z.string()).min(5).max(8), urgent: z.boolean() }),
        }),
      )
      .returns(({ plan }) => plan);
    const { output } = await runtime.run(structured, { question: 'why?' });
    expect(output.queries.length).toBeGreaterThanOrEqual(5);
    expect(output.queries.length).toBeLessThanOrEqual(8);
    expect(typeof output.urgent).toBe('boolean');
  });

  it('fails a structured step whose model answers outside the schema, naming step and model', async () => {
    const liar: LanguageModelV4 = {
      specificationVersion: 'v4',
      provider: 'test',
      modelId: 'liar',
      supportedUrls: {},
      doGenerate: () => Promise.reject(new Error('unused')),
      doStream: async () => ({
        stream: new ReadableStream({
          start(controller) {
            controller.enqueue({ type: 'text-start', id: '0' });
            controller.enqueue({ type: 'text-delta', id: '0', delta: '{"queries": 3}' });
            controller.enqueue({ type: 'text-end', id: '0' });
            controller.enqueue({
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: {
                inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 },
                outputTokens: { total: 4, text: 4, reasoning: 0 },
              },
            });
            controller.close();
          },
        }),
      }),
    };
    const runtime = createRuntime({
      models: createModelPool([defineModel(liar, { ...mercury2, id: 'liar' })]),
    });
    const structured = chain('structured', { input }).step(
      'plan',
      llm({ prompt: 'x', output: z.object({ queries: z.array(z.string()) }) }),
    );
    const error = await runtime.run(structured, { question: 'q' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stepId: 'plan', model: 'liar', reason: 'output-validation' });
    expect(error.message).toMatch(/^Step `plan` of chain `structured` failed on liar: /);
  });

  it('rejects bad input with the field named, before any model call', async () => {
    const runtime = emulatedRuntime();
    let started = 0;
    runtime.on('step:start', () => started++);
    const one = chain('one', { input }).step('a', llm({ prompt: 'x' }));
    const error = await runtime.run(one, { question: 42 } as never).catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.issues[0].path).toEqual(['question']);
    expect(error.message).toMatch(/^Invalid input for chain `one`: `question`: /);
    expect(started).toBe(0);
  });

  it('fails the run with the first step error and stops the rest', async () => {
    const runtime = emulatedRuntime();
    const clock = runtime.models.clock!;
    let lateStarted = false;
    const failing = chain('failing', { input })
      .parallel({
        boom: fn(async () => {
          await clock.sleep(5);
          throw new Error('no luck');
        }),
        slow: llm({ prompt: 'slow', maxOutputTokens: 2000, lane: 'cheap' }),
      })
      .step(
        'late',
        fn(() => {
          lateStarted = true;
        }),
      );
    const ends: StepRecord[] = [];
    runtime.on('step:end', (record) => ends.push(record));
    const error = await runtime.run(failing, { question: 'q' }).catch((caught) => caught);
    expect(error).toMatchObject({ stepId: 'boom', reason: 'function' });
    expect(error.message).toBe('Step `boom` of chain `failing` failed: no luck');
    expect(lateStarted).toBe(false);
    expect(ends.map((record) => [record.stepId, record.status, record.error])).toEqual([
      ['boom', 'error', 'Step `boom` of chain `failing` failed: no luck'],
      ['slow', 'error', 'Step `boom` of chain `failing` failed: no luck'],
    ]);
  });

  it('cancels in-flight calls when the caller aborts', async () => {
    const runtime = emulatedRuntime();
    const controller = new AbortController();
    runtime.on('step:first-token', () => controller.abort(new Error('user gave up')));
    const long = chain('long', { input })
      .step('a', llm({ prompt: 'a', maxOutputTokens: 4000, lane: 'cheap' }))
      .step('b', llm({ prompt: 'b' }));
    const error = await runtime
      .run(long, { question: 'q' }, { signal: controller.signal })
      .catch((caught) => caught);
    expect(RunAbortedError.isInstance(error)).toBe(true);
    expect(error.message).toBe('Run of chain `long` was aborted: user gave up');
    expect(error.cause).toEqual(new Error('user gave up'));
    expect(error.trace.status).toBe('error');
    expect(error.trace.steps.map((record: StepRecord) => [record.stepId, record.status])).toEqual([
      ['a', 'error'],
    ]);
  });

  it('calls hooks given as options', async () => {
    const seen: string[] = [];
    const runtime = createRuntime({
      models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() }),
      onChainStart: (event) => seen.push(`start ${event.chain}`),
      onStepEnd: (record) => seen.push(`end ${record.stepId}`),
      onChainEnd: (trace) => seen.push(`done ${trace.status}`),
    });
    const one = chain('one', { input }).step(
      'a',
      fn(() => 'ok'),
    );
    await runtime.run(one, { question: 'q' });
    expect(seen).toEqual(['start one', 'end a', 'done ok']);
  });

  it('survives a listener that throws and reports it in the trace', async () => {
    const runtime = emulatedRuntime();
    runtime.on('step:end', () => {
      throw new Error('listener bug');
    });
    const one = chain('one', { input })
      .step(
        'a',
        fn(() => 'ok'),
      )
      .returns(({ a }) => a);
    const { output, trace } = await runtime.run(one, { question: 'q' });
    expect(output).toBe('ok');
    expect(trace.warnings).toEqual([
      { source: 'listener', message: 'a `step:end` listener threw: listener bug' },
    ]);
  });

  it('gives repeatable traces on a virtual clock', async () => {
    const research = chain('r', { input })
      .step('plan', llm({ prompt: ({ input }) => input.question }))
      .map('items', () => ['a', 'b', 'c'], llm({ prompt: (item: string) => item }));
    const first = await emulatedRuntime().run(research, { question: 'q' });
    const second = await emulatedRuntime().run(research, { question: 'q' });
    expect(second.trace.steps).toEqual(first.trace.steps);
    expect(second.output).toEqual(first.output);
  });
});
