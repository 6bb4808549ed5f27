import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { trace as otelTrace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  chain,
  consoleExporter,
  createModelPool,
  createRuntime,
  hotpathEventNames,
  llm,
  models,
  renderHtmlReport,
} from 'hotpath';
import { jsonlExporter, readTraceLog } from 'hotpath/node';
import { otelExporter } from 'hotpath/otel';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createEventHub } from '../src/tracing/event-hub';

// Four ways a key reaches a provider's error, each planted with a value no pattern would catch
// on its own (except the `sk-` key, which is the pattern's case): the run's every output is then
// searched for all of them.
const presetKey = 'PLANTEDpresetKey0001';
const bodyKey = 'sk-proj-PLANTEDbodyKey0000000002';
const urlPassword = 'PLANTEDurlPass0003';
const envKey = 'PLANTEDenvToken0004';
const planted = [presetKey, bodyKey, urlPassword, envKey];

/** A provider that refuses every call and echoes everything secret it was sent. */
function echoingFetch(status: number): typeof globalThis.fetch {
  return async (input, init) => {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    const message = `Incorrect API key provided: ${auth.replace(/^Bearer /, '')}; your org key ${bodyKey}; env ${envKey}; at ${String(input)}`;
    return new Response(JSON.stringify({ error: { message, type: 'invalid_request_error' } }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hotpath-secrets-'));
  process.env.ACME_SERVICE_TOKEN = envKey;
});
afterAll(async () => {
  delete process.env.ACME_SERVICE_TOKEN;
  await rm(dir, { recursive: true, force: true });
});

describe('secrets never leave the process', () => {
  it('keeps planted keys out of the log, spans, HTML, console, events and the error', async () => {
    const baseURL = `https://planted-user:${urlPassword}@api.example.test/v1`;
    const pool = createModelPool([
      models.inception({ apiKey: presetKey, baseURL, fetch: echoingFetch(500) }),
      models.openai({ apiKey: presetKey, baseURL, fetch: echoingFetch(401) }),
    ]);
    const spans = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const logPath = join(dir, 'trace.jsonl');
    const consoleText: string[] = [];
    const printed: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        printed.push(args.map((arg) => inspect(arg, { depth: 10 })).join(' '));
      }),
    );
    const jsonl = jsonlExporter({ path: logPath });
    const runtime = createRuntime({
      models: pool,
      retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
      hedge: false,
      exporters: [
        jsonl,
        otelExporter({ tracer: provider.getTracer('test') }),
        consoleExporter({ write: (text) => consoleText.push(text), live: false }),
      ],
    });
    const events: string[] = [];
    for (const name of hotpathEventNames) {
      runtime.on(name, (payload: unknown) =>
        events.push(`${name} ${inspect(payload, { depth: 12 })}`),
      );
    }
    const answer = chain('leaky', { input: z.object({ q: z.string() }) }).step(
      'answer',
      llm({ prompt: ({ input }) => input.q, models: ['mercury-2', 'gpt-5-mini'] }),
    );
    const error = await runtime.run(answer, { q: 'hello' }).catch((caught: unknown) => caught);
    await jsonl.flush?.();
    for (const spy of spies) spy.mockRestore();
    otelTrace.disable();

    expect(error).toBeInstanceOf(Error);
    const trace = (error as { trace?: unknown }).trace;
    const log = await readFile(logPath, 'utf8');
    const parsed = await readTraceLog(logPath);
    const outputs: Record<string, string> = {
      jsonl: log,
      otel: inspect(
        spans.getFinishedSpans().map((span) => ({
          name: span.name,
          attributes: span.attributes,
          events: span.events,
          status: span.status,
        })),
        { depth: 12 },
      ),
      html: renderHtmlReport(parsed.runs),
      console: consoleText.join('\n'),
      printed: printed.join('\n'),
      events: events.join('\n'),
      error: `${String((error as Error).message)}\n${(error as Error).stack}\n${inspect(error, { depth: 12 })}`,
      trace: inspect(trace, { depth: 12 }),
    };
    // The run did fail on the echoed errors, and every output has something to search.
    expect(outputs.error).toContain('Incorrect API key provided');
    expect(outputs.jsonl).toContain('step:retry');
    expect(outputs.otel).toContain('hotpath.retry');
    expect(outputs.events).toContain('step:fallback');
    expect(outputs.html).toContain('Incorrect API key provided');
    expect(outputs.console).toContain('answer');
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of planted) {
        expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
      }
    }
  });

  it('masks in every exporter too, whatever hub feeds it', async () => {
    const leak = `refused ${bodyKey} for ${envKey} at https://u:${urlPassword}@host/v1`;
    const spans = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const printed: string[] = [];
    const hub = createEventHub(() => {});
    otelExporter({ tracer: provider.getTracer('test') }).attach(hub);
    consoleExporter({ write: (text) => printed.push(text), live: false }).attach(hub);
    const usage = { inputTokens: 1, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
    hub.emit('chain:start', { runId: 'r', chain: 'c', startedAt: 1_000 });
    hub.emit('step:start', { runId: 'r', stepId: 's', kind: 'llm', model: 'gpt-5-mini', atMs: 0 });
    hub.emit('step:fallback', { runId: 'r', stepId: 's', from: 'a', to: 'b', reason: leak });
    hub.emit('step:error', {
      runId: 'r',
      stepId: 's',
      model: 'gpt-5-mini',
      error: new Error(leak),
    });
    const record = {
      runId: 'r',
      stepId: 's',
      kind: 'llm' as const,
      status: 'error' as const,
      model: 'gpt-5-mini',
      attempt: 1,
      startMs: 0,
      endMs: 300,
      durationMs: 300,
      usage,
      costUsd: 0,
      error: leak,
    };
    hub.emit('step:end', record);
    const trace = {
      runId: 'r',
      chain: 'c',
      status: 'error' as const,
      startedAt: 1_000,
      durationMs: 300,
      costUsd: 0,
      usage,
      calls: 1,
      steps: [record],
      items: {},
      criticalPath: ['s'],
      plan: { objective: 'balanced' as const, durationMs: 0, costUsd: 0 },
      warnings: [{ source: 'listener' as const, message: leak }],
    };
    hub.emit('chain:end', trace);
    const outputs = {
      otel: inspect(
        spans.getFinishedSpans().map((span) => [span.attributes, span.events, span.status]),
        { depth: 12 },
      ),
      console: printed.join('\n'),
      html: renderHtmlReport([trace]),
    };
    expect(outputs.console).toContain('refused');
    expect(outputs.html).toContain('refused');
    expect(outputs.otel).toContain('refused');
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of [bodyKey, envKey, urlPassword]) {
        expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
      }
    }
  });
});
