import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import { createRuntime } from './runtime';

const input = z.object({ topic: z.string() });
const usage = {
  inputTokens: { total: 7, noCache: 5, cacheRead: 2, cacheWrite: 0 },
  outputTokens: { total: 9, text: 6, reasoning: 3 },
};

/** A model that streams `deltas` then `finish` (or keeps its stream open after an error part). */
function scripted(deltas: string[], options: { failAfter?: number } = {}) {
  const calls: LanguageModelV4CallOptions[] = [];
  const state = { cancelled: 0 };
  const model: LanguageModelV4 = {
    specificationVersion: 'v4',
    provider: 'test',
    modelId: 'scripted',
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('unused')),
    async doStream(call) {
      calls.push(call);
      return {
        stream: new ReadableStream<LanguageModelV4StreamPart>({
          start(controller) {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            controller.enqueue({ type: 'text-start', id: '0' });
            deltas.forEach((delta, index) => {
              if (index === options.failAfter)
                controller.enqueue({ type: 'error', error: new Error('provider broke') });
              controller.enqueue({ type: 'text-delta', id: '0', delta });
            });
            if (options.failAfter !== undefined) return; // left open: only a cancel ends it
            controller.enqueue({ type: 'text-end', id: '0' });
            controller.enqueue({
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage,
            });
            controller.close();
          },
          cancel() {
            state.cancelled++;
          },
        }),
      };
    },
  };
  return { model, calls, state };
}

const runtimeOf = (model: LanguageModelV4) =>
  createRuntime({ models: createModelPool([defineModel(model, { ...mercury2, id: 'scripted' })]) });

describe('the direct call path (the model’s doStream)', () => {
  it('reads text, usage, cost and the first token from one read of the stream', async () => {
    const { model, calls } = scripted(['Hello', ', ', 'world']);
    const one = chain('one', { input }).step(
      'a',
      llm({ prompt: 'p', system: 's', maxOutputTokens: 20 }),
    );
    const { output, trace } = await runtimeOf(model).run(one, { topic: 't' });
    expect(output.a).toEqual({ text: 'Hello, world' });
    const record = trace.steps[0]!;
    expect(record.usage).toEqual({
      inputTokens: 7,
      cachedInputTokens: 2,
      outputTokens: 9,
      reasoningTokens: 3,
    });
    expect(record.costUsd).toBeGreaterThan(0);
    expect(record.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    // What streamText would send for a system text and a prompt.
    expect(calls[0]!.prompt).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: [{ type: 'text', text: 'p' }] },
    ]);
    expect(calls[0]!.maxOutputTokens).toBe(20);
    expect(calls[0]!.includeRawChunks).toBeUndefined();
  });

  it('asks for JSON with the schema and validates the answer with it', async () => {
    const { model, calls } = scripted(['{"queries": ', '["a", "b"]}']);
    const schema = z.object({ queries: z.array(z.string()) });
    const structured = chain('s', { input }).step('plan', llm({ prompt: 'p', output: schema }));
    const { output } = await runtimeOf(model).run(structured, { topic: 't' });
    expect(output.plan).toEqual({ queries: ['a', 'b'] });
    expect(calls[0]!.responseFormat).toMatchObject({ type: 'json', schema: { type: 'object' } });
  });

  it('runs the middleware of a wrapLanguageModel model', async () => {
    const { model, calls } = scripted(['ok']);
    const wrapped = wrapLanguageModel({
      model,
      middleware: {
        specificationVersion: 'v4',
        transformParams: async ({ params }) => ({ ...params, temperature: 0.25 }),
      },
    });
    const one = chain('one', { input }).step('a', llm({ prompt: 'p' }));
    const { output } = await runtimeOf(wrapped).run(one, { topic: 't' });
    expect(output.a).toEqual({ text: 'ok' });
    expect(calls[0]!.temperature).toBe(0.25);
  });

  it("goes through streamText when a step asks for it (callPath: 'streamText')", async () => {
    const { model, calls } = scripted(['Hello']);
    const one = chain('one', { input }).step('a', llm({ prompt: 'p', callPath: 'streamText' }));
    const { output, trace } = await runtimeOf(model).run(one, { topic: 't' });
    expect(output.a).toEqual({ text: 'Hello' });
    expect(trace.steps[0]!.usage.outputTokens).toBe(9);
    expect(calls[0]!.includeRawChunks).toBe(false);
  });

  it('fails on an error part and cancels the stream, so its request ends', async () => {
    const { model, state } = scripted(['a', 'b', 'c'], { failAfter: 1 });
    const runtime = createRuntime({
      models: createModelPool([defineModel(model, { ...mercury2, id: 'scripted' })]),
      retry: { maxAttempts: 1 },
    });
    const one = chain('one', { input }).step('a', llm({ prompt: 'p' }));
    const error = await runtime.run(one, { topic: 't' }).catch((caught) => caught);
    expect(error.message).toMatch(/provider broke/);
    expect(state.cancelled).toBe(1);
  });
});
