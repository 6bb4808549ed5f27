import { readFileSync } from 'node:fs';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { registerTelemetry } from 'ai';
import { chain, createRuntime, createVirtualClock, fn, llm, models } from 'hotpath';
import { otelExporter } from 'hotpath/otel';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerAsyncContext } from './helpers/async-context';

afterAll(registerAsyncContext());

function setup() {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const tracer = provider.getTracer('test');
  return { spans, tracer, exporter: otelExporter({ tracer }) };
}

const ms = (time: [number, number]) => time[0] * 1000 + time[1] / 1e6;

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

  it('keeps every span inside its parent and in the past when the clock runs ahead of the wall', async () => {
    const { spans, tracer, exporter } = setup();
    const research = chain('research', { input: z.object({}) })
      .step('plan', llm({ prompt: 'Write a long plan.', maxOutputTokens: 400 }))
      .map(
        'answers',
        () => [1, 2],
        llm({ prompt: (n: number) => `Answer ${n}`, maxOutputTokens: 200 }),
      )
      .step(
        'store',
        fn(async () => {
          await Promise.resolve();
          tracer.startSpan('db.insert').end();
        }),
      );
    // Seconds of model time pass in a few milliseconds of wall time.
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    const { trace: run } = await tracer.startActiveSpan('http.request', async (span) => {
      const result = await runtime.run(research, {});
      span.end();
      return result;
    });
    const finished = spans.getFinishedSpans();
    expect(finished).toHaveLength(8);
    expect(run.durationMs).toBeGreaterThan(1000);
    const now = Date.now();
    for (const span of finished) {
      expect(ms(span.endTime)).toBeLessThanOrEqual(now);
      const parent = parentOf(span, finished);
      if (parent === undefined) continue;
      expect(ms(span.startTime), span.name).toBeGreaterThanOrEqual(ms(parent.startTime));
      // The SDK times a span it starts itself from whole milliseconds, and adds sub-ms to its end.
      expect(ms(span.endTime), span.name).toBeLessThanOrEqual(ms(parent.endTime) + 1);
    }
    const root = finished.find((span) => span.name === 'invoke_workflow research')!;
    expect(root.attributes['hotpath.duration_ms']).toBe(run.durationMs);
    const record = run.steps.find((step) => step.stepId === 'plan')!;
    const plan = finished.find((span) => span.attributes['hotpath.step.id'] === 'plan')!;
    expect(plan.attributes['hotpath.duration_ms']).toBe(record.durationMs);
  });

  it('nests the spans of a registered AI SDK telemetry integration on the streamText call path', async () => {
    const { spans, tracer, exporter } = setup();
    // What an OpenTelemetry integration does: a span per call, under the span active at its start.
    const calls = new Map<string, ReturnType<typeof tracer.startSpan>>();
    const end = (event: { callId: string }) => calls.get(event.callId)?.end();
    registerTelemetry({
      onStart: (event) => void calls.set(event.callId, tracer.startSpan('ai.streamText')),
      onEnd: end,
      onError: (event) => end(event as { callId: string }),
    });
    const two = chain('two', { input: z.object({}) })
      .step('seen', llm({ prompt: 'hi', maxOutputTokens: 5, callPath: 'streamText' }))
      .step('direct', llm({ prompt: 'hi', maxOutputTokens: 5 }));
    const runtime = createRuntime({
      models: models.emulated({ clock: createVirtualClock() }),
      exporters: [exporter],
    });
    await runtime.run(two, {});
    const finished = spans.getFinishedSpans();
    const ai = finished.filter((span) => span.name === 'ai.streamText');
    expect(ai.map((span) => parentOf(span, finished)?.attributes['hotpath.step.id'])).toEqual([
      'seen',
    ]);
    // The README and the exporter's TSDoc say so, and not to pass an option `llm` refuses.
    const docs = [
      readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
      readFileSync(new URL('../src/tracing/otel/otel-exporter.ts', import.meta.url), 'utf8'),
    ];
    for (const text of docs) {
      expect(text).toMatch(/registerTelemetry/);
      expect(text).toMatch(/callPath: 'streamText'/);
      expect(text).not.toMatch(
        /`experimental_telemetry(: \{ isEnabled: true \})?`\) (nest|attach)/,
      );
    }
    const telemetry = { prompt: 'hi', experimental_telemetry: { isEnabled: true } } as never;
    expect(() => chain('t', { input: z.object({}) }).step('a', llm(telemetry))).toThrow(
      /Unknown option `experimental_telemetry`/,
    );
  });
});
