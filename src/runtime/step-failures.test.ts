import type { LanguageModelV4 } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { HotpathError, StepError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createModelPool, defineModel } from '../models/pool';
import { createRuntime } from './runtime';

const input = z.object({ question: z.string() });

/** A model that always answers `text`, as one streamed text part. */
function answering(text: string, id = 'liar'): LanguageModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'test',
    modelId: id,
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('unused')),
    doStream: async () => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: 'text-start', id: '0' });
          controller.enqueue({ type: 'text-delta', id: '0', delta: text });
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
}

function liarRuntime(text: string) {
  return createRuntime({
    models: createModelPool([defineModel(answering(text), { ...mercury2, id: 'liar' })]),
  });
}

const structured = chain('structured', { input }).step(
  'plan',
  llm({
    prompt: 'x',
    output: z.object({ queries: z.array(z.string()).min(2), urgent: z.boolean() }),
  }),
);

describe('a structured step that breaks its schema', () => {
  it('says which fields broke and how, in the StepError message', async () => {
    const runtime = liarRuntime('{"queries": ["a", 3], "urgent": "yes"}');
    const error = await runtime.run(structured, { question: 'q' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('output-validation');
    expect(error.message).toMatch(/^Step `plan` of chain `structured` failed on liar: /);
    expect(error.message).toContain('`queries.1`');
    expect(error.message).toContain('`urgent`');
    expect(error.message).toMatch(/`queries\.1`: [^;]*string/i);
    expect(error.message).toMatch(/`urgent`: [^;]*boolean/i);
  });

  it('says the answer was not JSON when it was not', async () => {
    const runtime = liarRuntime('Sure! Here are the queries:');
    const error = await runtime.run(structured, { question: 'q' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error.reason).toBe('output-validation');
    expect(error.message).toMatch(/not valid JSON|could not parse/i);
  });
});

describe('a failed step', () => {
  it('carries the partial trace: the steps that ran and what they spent', async () => {
    const clock = createVirtualClock();
    const runtime = createRuntime({
      models: createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock }),
    });
    const failing = chain('failing', { input })
      .step('ask', llm({ prompt: ({ input }) => input.question, maxOutputTokens: 20 }))
      .step(
        'boom',
        fn(() => {
          throw new Error('the parser broke');
        }),
      );
    const error = await runtime.run(failing, { question: 'q' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect(error.stepId).toBe('boom');
    expect(error.trace).toBeDefined();
    expect(error.trace.status).toBe('error');
    const ask = error.trace.steps.find((record: { stepId: string }) => record.stepId === 'ask');
    expect(ask?.status).toBe('ok');
    expect(error.trace.costUsd).toBeGreaterThan(0);
    expect(error.trace.costUsd).toBe(ask.costUsd);
  });
});

describe('HotpathError.toJSON', () => {
  it('serialises the message, the fields and the cause chain, without the trace', () => {
    const cause = Object.assign(new Error('bad gateway'), {
      requestBodyValues: { prompt: 'a secret prompt' },
    });
    const error = new StepError({
      chain: 'c',
      stepId: 's',
      item: 2,
      model: 'm',
      reason: 'model-call',
      message: 'bad gateway',
      cause: new HotpathError({ name: 'HotpathError', message: 'wrapped', cause }),
    });
    error.trace = { big: true } as never;
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: 'StepError',
      message: 'Step `s` (item 2) of chain `c` failed on m: bad gateway',
      chain: 'c',
      stepId: 's',
      item: 2,
      model: 'm',
      attempt: 1,
      reason: 'model-call',
      cause: {
        name: 'HotpathError',
        message: 'wrapped',
        cause: { name: 'Error', message: 'bad gateway' },
      },
    });
  });

  it("prints a map's collected item errors with their messages", async () => {
    const runtime = liarRuntime('{}');
    const collected = chain('collected', { input }).map(
      'each',
      () => [1, 2],
      fn((n: number) => {
        if (n === 2) throw new Error('two is not allowed');
        return n;
      }),
      { onItemError: 'collect' },
    );
    const { output } = await runtime.run(collected, { question: 'q' });
    const printed = JSON.parse(JSON.stringify(output.each[1]));
    expect(printed.ok).toBe(false);
    expect(printed.error.name).toBe('StepError');
    expect(printed.error.message).toContain('two is not allowed');
  });
});
