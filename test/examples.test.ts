import { trace } from '@opentelemetry/api';
import { createRuntime, createVirtualClock, models } from 'hotpath';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as agentExample from '../examples/agent';
import * as deadlineExample from '../examples/deadline';
import * as extractionExample from '../examples/extraction';
import * as otelExample from '../examples/opentelemetry';
import { registerAsyncContext } from './helpers/async-context';

// Every example runs offline here, on emulated models and a virtual clock.
const emulated = () => models.emulated({ clock: createVirtualClock() });
let printed: string[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  printed = [];
});

function capture() {
  vi.spyOn(console, 'log').mockImplementation((text = '') => printed.push(String(text)));
}

describe('examples', () => {
  it('agent.ts: a tool loop on the fast lane, its tool calls in the trace', async () => {
    capture();
    const output = await agentExample.main(createRuntime({ models: emulated() }));
    expect(output.toolCalls.length).toBeGreaterThanOrEqual(1);
    expect(['weather', 'convert']).toContain(output.toolCalls[0]!.toolName);
    expect(printed.join('\n')).toMatch(
      /agent: model mercury-2 → tool (weather|convert) → model mercury-2/,
    );
  });

  it('extraction.ts: a batch of structured extractions on the cheap lane', async () => {
    capture();
    const runtime = createRuntime({ models: emulated() });
    const plan = runtime.plan(extractionExample.extraction, {
      documents: extractionExample.sampleDocuments,
    });
    expect(plan.step('invoices')).toMatchObject({ model: 'deepseek-flash', lane: 'cheap' });
    const output = await extractionExample.main(runtime);
    expect(output).toMatchObject({ extracted: 20, failed: 0 });
    for (const invoice of output.invoices)
      expect(['EUR', 'USD', 'GBP']).toContain(invoice.currency);
  });

  it('deadline.ts: re-plans when the cheap model runs late, and holds the deadline', async () => {
    capture();
    const runtime = createRuntime({
      models: deadlineExample.busyPool(createVirtualClock()),
      objective: { deadlineMs: 30_000 },
    });
    const trace = await deadlineExample.main(runtime);
    expect(printed.some((line) => /^re-plan at .* → mercury-2/.test(line))).toBe(true);
    expect(trace.durationMs).toBeLessThanOrEqual(30_000);
  });

  it('opentelemetry.ts: a span per chain and per step with GenAI attributes', async () => {
    capture();
    const spans = await otelExample.main(emulated());
    const names = spans.map((span) => span.name);
    expect(names).toContain('invoke_workflow research');
    expect(names.filter((name) => name.startsWith('chat ')).length).toBeGreaterThanOrEqual(7);
    expect(printed.join('\n')).toContain('mercury-2');
  });

  it("opentelemetry.ts: what a model call starts nests under its step's span", async () => {
    capture();
    const unregister = registerAsyncContext();
    try {
      // A provider whose requests are traced, as an instrumented fetch's are: a span per call
      // under the span active when it is sent.
      const requests: { parent: string | undefined }[] = [];
      const pool = emulated();
      const traced = pool.models.map((entry) => {
        const model = Object.create(entry.model) as typeof entry.model;
        model.doStream = (options) => {
          requests.push({ parent: trace.getActiveSpan()?.spanContext().spanId });
          return entry.model.doStream(options);
        };
        return { ...entry, model };
      });
      const spans = await otelExample.main(models.pool(traced, { clock: pool.clock }));
      const chats = new Set(
        spans.filter((span) => span.name.startsWith('chat ')).map((s) => s.spanContext().spanId),
      );
      expect(requests.length).toBeGreaterThanOrEqual(7);
      for (const request of requests) expect(chats.has(request.parent!)).toBe(true);
    } finally {
      unregister();
    }
  });
});
