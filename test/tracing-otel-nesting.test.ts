import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { chain, createRuntime, createVirtualClock, fn, models } from 'hotpath';
import { otelExporter } from 'hotpath/otel';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// What `AsyncLocalStorageContextManager` does: the active span follows awaits, as in a Node app.
const storage = new AsyncLocalStorage<Context>();
context.setGlobalContextManager({
  active: () => storage.getStore() ?? ROOT_CONTEXT,
  with: (ctx, fn, thisArg, ...args) => storage.run(ctx, () => fn.call(thisArg, ...args)),
  bind: (_ctx, target) => target,
  enable() {
    return this;
  },
  disable() {
    storage.disable();
    return this;
  },
});
afterAll(() => context.disable());

function setup() {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const tracer = provider.getTracer('test');
  return { spans, tracer, exporter: otelExporter({ tracer }) };
}

const parentOf = (span: ReadableSpan, spans: readonly ReadableSpan[]) =>
  spans.find((other) => other.spanContext().spanId === span.parentSpanContext?.spanId);

describe('otelExporter nesting', () => {
  it("runs fn steps and fn map items inside their span, so the user's spans nest under them", async () => {
    const { spans, tracer, exporter } = setup();
    const lookup = chain('lookup', { input: z.object({}) })
      .step(
        'fetch',
        fn(async () => {
          await Promise.resolve();
          tracer.startSpan('db.query').end();
          return 1;
        }),
      )
      .map(
        'each',
        () => [1, 2],
        fn(async (n: number) => {
          await Promise.resolve();
          tracer.startSpan(`http.get ${n}`).end();
          return n;
        }),
      );
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    await runtime.run(lookup, {});
    const finished = spans.getFinishedSpans();
    const named = (name: string) => finished.find((span) => span.name === name)!;
    expect(parentOf(named('db.query'), finished)?.name).toBe('fn fetch');
    for (const n of [1, 2]) {
      const parent = parentOf(named(`http.get ${n}`), finished)!;
      expect(parent.name).toBe('fn each');
      expect(parent.attributes['hotpath.item']).toBe(n - 1);
    }
  });
});
