import { type Context, context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  type AnyChain,
  chain,
  createMemoryRunStore,
  createRuntime,
  createVirtualClock,
  fn,
  llm,
  models,
  type RunStore,
  type RunTrace,
  StepError,
} from 'hotpath';
import { otelExporter } from 'hotpath/otel';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { research } from '../examples/research';
import { createEventHub } from '../src/tracing/event-hub';

function setup() {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = otelExporter({ tracer: provider.getTracer('test') });
  return { spans, exporter };
}

/** How one attempt at a durable run is made: resumed under `runId`, or with the cache on. */
interface DurableAttempt {
  readonly cache?: boolean;
  readonly runId?: string;
}

/** One attempt at `durable` on `store`, traced by an exporter of its own: its result (or error) and spans. */
async function runDurable(durable: AnyChain, store: RunStore, options: DurableAttempt) {
  const { spans, exporter } = setup();
  const runtime = createRuntime({
    models: models.emulated({ clock: createVirtualClock() }),
    exporters: [exporter],
    store,
    cache: options.cache,
  });
  const result = await runtime
    .run(durable, {}, { runId: options.runId })
    .catch((error: unknown) => error);
  return { result, spans: spans.getFinishedSpans() };
}

/** A synchronous context manager: enough to see `bindCall` make the step's span active. */
let stack: Context[] = [];
context.setGlobalContextManager({
  active: () => stack.at(-1) ?? ROOT_CONTEXT,
  with(ctx, fn, thisArg, ...args) {
    stack.push(ctx);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      stack.pop();
    }
  },
  bind: (_ctx, target) => target,
  enable() {
    return this;
  },
  disable() {
    stack = [];
    return this;
  },
});
afterAll(() => context.disable());

describe('otelExporter', () => {
  it('makes a chain span, a span per step and map items under their map', async () => {
    const { spans, exporter } = setup();
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    const { trace: run } = await runtime.run(research, {
      question: 'Why are diffusion LLMs fast?',
    });
    const finished = spans.getFinishedSpans();
    const root = finished.find((span) => span.name === 'invoke_workflow research')!;
    expect(root.attributes['gen_ai.operation.name']).toBe('invoke_workflow');
    expect(root.attributes['hotpath.cost_usd']).toBe(run.costUsd);
    expect(root.attributes['hotpath.critical_path']).toEqual(['plan', 'answers', 'report']);
    const children = finished.filter(
      (span) => span.parentSpanContext?.spanId === root.spanContext().spanId,
    );
    expect(children.map((span) => span.attributes['hotpath.step.id']).sort()).toEqual([
      'answers',
      'plan',
      'report',
    ]);
    const map = children.find((span) => span.attributes['hotpath.step.id'] === 'answers')!;
    const items = finished.filter(
      (span) => span.parentSpanContext?.spanId === map.spanContext().spanId,
    );
    expect(items).toHaveLength(run.items.answers!.length);
    const plan = children.find((span) => span.attributes['hotpath.step.id'] === 'plan')!;
    expect(plan.name).toBe('chat mercury-2');
    const record = run.steps.find((step) => step.stepId === 'plan')!;
    expect(plan.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'inception',
      'gen_ai.request.model': 'mercury-2',
      'gen_ai.response.model': 'mercury-2',
      'gen_ai.usage.input_tokens': record.usage.inputTokens,
      'gen_ai.usage.output_tokens': record.usage.outputTokens,
      'gen_ai.usage.cache_read.input_tokens': record.usage.cachedInputTokens,
      'gen_ai.usage.reasoning.output_tokens': record.usage.reasoningTokens,
      'gen_ai.response.time_to_first_chunk': record.timeToFirstTokenMs! / 1000,
      'hotpath.lane': 'fast',
      'hotpath.cost_usd': record.costUsd,
      'hotpath.critical': true,
    });
    expect(plan.attributes['hotpath.slack_ms']).toBe(0);
    expect(plan.attributes['hotpath.predicted.duration_ms']).toBeGreaterThan(0);
    expect(items[0]!.attributes['gen_ai.provider.name']).toBe('deepseek');
    // The runtime's (virtual) clock in an attribute; the span's own times are the wall clock's.
    expect(plan.attributes['hotpath.duration_ms']).toBe(record.durationMs);
  });

  it('marks failures with error.type and records retries as span events', async () => {
    const { spans, exporter } = setup();
    const hub = createEventHub(() => {});
    exporter.attach(hub);
    const usage = { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
    hub.emit('chain:start', { runId: 'r', chain: 'c', startedAt: 1_000 });
    hub.emit('step:start', { runId: 'r', stepId: 's', kind: 'llm', model: 'gpt-5-mini', atMs: 0 });
    hub.emit('step:retry', {
      runId: 'r',
      stepId: 's',
      model: 'gpt-5-mini',
      attempt: 2,
      delayMs: 100,
      reason: 'rate-limit',
      error: '429',
    });
    const error = new StepError({
      chain: 'c',
      stepId: 's',
      model: 'gpt-5-mini',
      reason: 'model-call',
      message: 'boom',
    });
    hub.emit('step:error', { runId: 'r', stepId: 's', model: 'gpt-5-mini', error });
    hub.emit('step:end', {
      runId: 'r',
      stepId: 's',
      kind: 'llm',
      status: 'error',
      model: 'gpt-5-mini',
      attempt: 2,
      startMs: 0,
      endMs: 300,
      durationMs: 300,
      usage,
      costUsd: 0,
      error: 'boom',
      failure: 'rate-limit',
    });
    hub.emit('chain:end', {
      runId: 'r',
      chain: 'c',
      status: 'error',
      startedAt: 1_000,
      durationMs: 300,
      costUsd: 0,
      usage,
      calls: 1,
      steps: [],
      items: {},
      criticalPath: [],
      plan: { objective: 'balanced', durationMs: 0, costUsd: 0 },
      warnings: [],
    });
    const [step, root] = spans.getFinishedSpans();
    // How the call failed, not the class every step failure comes in.
    expect(step!.attributes['error.type']).toBe('rate-limit');
    expect(step!.events[1]!.attributes?.['exception.type']).toBe('StepError');
    expect(step!.attributes['gen_ai.provider.name']).toBe('openai');
    expect(step!.status.code).toBe(2);
    expect(step!.events.map((event) => event.name)).toEqual(['hotpath.retry', 'exception']);
    expect(step!.events[0]!.attributes?.['hotpath.retry.reason']).toBe('rate-limit');
    expect(root!.status.code).toBe(2);
  });

  it('says why a run failed on its chain span, and marks a failed map without its own error', async () => {
    const { spans, exporter } = setup();
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    const failing = chain('failing', { input: z.object({ n: z.number() }) }).map(
      'checks',
      ({ input }) => [input.n, input.n + 1],
      fn((item: number) => {
        if (item > 1) throw new Error('bad check');
        return item;
      }),
    );
    const error = await runtime.run(failing, { n: 1 }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('StepError');
    const finished = spans.getFinishedSpans();
    const root = finished.find((span) => span.name === 'invoke_workflow failing')!;
    expect(root.status.code).toBe(2);
    expect(root.status.message).toBe((error as Error).message);
    expect(root.attributes['error.type']).toBe('StepError');
    const map = finished.find((span) => span.name === 'map checks')!;
    expect(map.status.code).toBe(2);
    expect(map.attributes['error.type']).toBe('_OTHER');
    const item = finished.find((span) => span.name === 'fn checks' && span.status.code === 2)!;
    expect(item.attributes['error.type']).toBe('function');

    const controller = new AbortController();
    const slow = chain('slow', { input: z.object({}) }).step('a', llm({ prompt: 'A long essay.' }));
    const aborted = runtime.run(slow, {}, { signal: controller.signal });
    controller.abort(new Error('user left'));
    await expect(aborted).rejects.toThrow(/aborted: user left/);
    const chainSpan = spans
      .getFinishedSpans()
      .find((span) => span.name === 'invoke_workflow slow')!;
    expect(chainSpan.attributes['error.type']).toBe('RunAbortedError');
    expect(chainSpan.status.message).toMatch(/was aborted: user left/);
  });

  it('says a step stopped by a sibling failure or an abort was cancelled', async () => {
    const errorTypes = async (
      run: (runtime: ReturnType<typeof createRuntime>) => Promise<unknown>,
    ) => {
      const { spans, exporter } = setup();
      const runtime = createRuntime({
        models: models.emulated({ clock: createVirtualClock() }),
        exporters: [exporter],
      });
      await expect(run(runtime)).rejects.toThrow();
      return Object.fromEntries(
        spans
          .getFinishedSpans()
          .map((span) => [span.attributes['hotpath.step.id'], span.attributes['error.type']]),
      );
    };
    const sibling = chain('sibling', { input: z.object({}) }).parallel({
      slow: llm({ prompt: 'A long essay.', maxOutputTokens: 2000 }),
      boom: fn(async () => {
        await Promise.resolve();
        throw new TypeError('bad');
      }),
    });
    expect(await errorTypes((runtime) => runtime.run(sibling, {}))).toMatchObject({
      boom: 'function',
      slow: 'cancelled',
    });

    const slow = chain('slow', { input: z.object({}) }).step('a', llm({ prompt: 'A long essay.' }));
    const aborted = await errorTypes((runtime) => {
      const controller = new AbortController();
      runtime.on('step:first-token', () => controller.abort(new Error('user left')));
      return runtime.run(slow, {}, { signal: controller.signal });
    });
    expect(aborted).toMatchObject({ a: 'cancelled' });
  });

  it('marks steps read back from the journal or the cache, without usage to count again', async () => {
    let crash = true;
    const durable = chain('durable', { input: z.object({}) })
      .step('a', llm({ prompt: 'Write about tides.', maxOutputTokens: 200 }))
      .step(
        'b',
        fn(() => {
          if (crash) throw new Error('crash');
          return 1;
        }),
      );
    const store = createMemoryRunStore();
    const attempt = async (options: DurableAttempt) => {
      const { result, spans } = await runDurable(durable, store, options);
      return { result, a: spans.find((span) => span.attributes['hotpath.step.id'] === 'a')! };
    };
    const first = await attempt({ runId: 'r1' });
    expect(first.a.name).toBe('chat mercury-2');
    expect(first.a.attributes['hotpath.source']).toBe('call');
    const paid = first.a.attributes['hotpath.cost_usd'];
    crash = false;
    const replayed = (a: (typeof first)['a'], source: string) => {
      expect(a.name).toBe('replay a');
      expect(a.attributes).toMatchObject({
        'hotpath.source': source,
        'hotpath.model': 'mercury-2',
        'hotpath.replayed.cost_usd': paid,
      });
      const keys = Object.keys(a.attributes);
      expect(keys.filter((key) => key.startsWith('gen_ai.'))).toEqual([]);
      expect(keys).not.toContain('hotpath.cost_usd');
    };
    replayed((await attempt({ runId: 'r1' })).a, 'resumed');
    const filling = await attempt({ cache: true });
    expect(filling.a.attributes['hotpath.source']).toBe('call');
    replayed((await attempt({ cache: true })).a, 'cache');
  });

  it('totals on the chain span only the usage this run called, and says what it read back', async () => {
    let crash = true;
    const durable = chain('durable', { input: z.object({}) })
      .step('a', llm({ prompt: 'Write about tides.', maxOutputTokens: 200 }))
      .step(
        'b',
        fn(() => {
          if (crash) throw new Error('crash');
          return 1;
        }),
      )
      .step('c', llm({ prompt: 'Write about waves.', maxOutputTokens: 100 }));
    const store = createMemoryRunStore();
    const attempt = async (options: DurableAttempt) => {
      const { result, spans } = await runDurable(durable, store, options);
      const root = spans.find((span) => span.name.startsWith('invoke_workflow'))!;
      return { result, root: root.attributes };
    };
    await attempt({ runId: 'r1' });
    crash = false;
    const resumed = await attempt({ runId: 'r1' });
    const run = (resumed.result as { trace: RunTrace }).trace;
    const [a, , c] = run.steps;
    expect([a!.source, c!.source]).toEqual(['resumed', 'call']);
    // The run's trace counts the resumed step's tokens; what this run called is c's alone.
    expect(run.usage.outputTokens).toBe(a!.usage.outputTokens + c!.usage.outputTokens);
    expect(resumed.root).toMatchObject({
      'gen_ai.usage.input_tokens': c!.usage.inputTokens,
      'gen_ai.usage.output_tokens': c!.usage.outputTokens,
      'hotpath.resumed.units': 1,
      'hotpath.resumed.input_tokens': a!.usage.inputTokens,
      'hotpath.resumed.output_tokens': a!.usage.outputTokens,
      'hotpath.resumed.cost_usd': a!.replayed?.costUsd ?? a!.costUsd,
      'hotpath.cost_usd': run.costUsd,
    });
    expect(Object.keys(resumed.root).filter((key) => key.startsWith('hotpath.cached'))).toEqual([]);

    await attempt({ cache: true });
    const cached = await attempt({ cache: true });
    const served = (cached.result as { trace: RunTrace }).trace;
    // A `fn` step runs again; the model steps come from the cache.
    expect(served.steps.map((step) => step.source)).toEqual(['cache', 'call', 'cache']);
    expect(cached.root).toMatchObject({
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'hotpath.cached.units': 2,
      'hotpath.cached.cost_usd': served.durable!.cachedCostUsd,
    });
    expect(served.durable!.cachedCostUsd).toBeGreaterThan(0);
  });

  it('times time_to_first_chunk from the answering call, not the waits before it', async () => {
    const { spans, exporter } = setup();
    const runtime = createRuntime({
      models: models.emulated({
        clock: createVirtualClock(),
        faults: [{ fault: { kind: 'server-error' }, model: 'mercury-2', requests: [1] }],
      }),
      exporters: [exporter],
    });
    const one = chain('one', { input: z.object({}) }).step(
      'ask',
      llm({ prompt: 'Write about tides.', maxOutputTokens: 50 }),
    );
    const { trace: run } = await runtime.run(one, {});
    const record = run.steps[0]!;
    expect(record.retries).toBe(1);
    const own = record.firstTokenMs! - record.callStartMs!;
    // The failed call and the backoff before the retry came first.
    expect(record.timeToFirstTokenMs! - own).toBeGreaterThan(0);
    const ask = spans
      .getFinishedSpans()
      .find((span) => span.attributes['hotpath.step.id'] === 'ask')!;
    expect(ask.attributes['gen_ai.response.time_to_first_chunk']).toBeCloseTo(own / 1000, 9);
    expect(ask.attributes['hotpath.time_to_first_token_ms']).toBe(record.timeToFirstTokenMs);
  });

  it('nests spans started inside bindCall under the step span (how AI SDK spans nest)', async () => {
    const { spans, exporter } = setup();
    const tracer = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(spans)],
    }).getTracer('ai');
    const one = chain('one', { input: z.object({ q: z.string() }) }).step(
      'ask',
      llm({ prompt: 'hi', maxOutputTokens: 10 }),
    );
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    runtime.on('step:start', (event) => {
      exporter.bindCall(event, () => tracer.startSpan('ai.streamText').end());
    });
    await runtime.run(one, { q: 'x' });
    const finished = spans.getFinishedSpans();
    const ask = finished.find((span) => span.attributes['hotpath.step.id'] === 'ask')!;
    const ai = finished.find((span) => span.name === 'ai.streamText')!;
    expect(ai.parentSpanContext?.spanId).toBe(ask.spanContext().spanId);
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
