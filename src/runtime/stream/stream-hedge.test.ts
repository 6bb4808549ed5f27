import type { LanguageModelV4, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import { deepseekFlash, mercury2 } from '../../models/catalog';
import { createModelPool, defineModel } from '../../models/pool';
import type { HotpathEvents } from '../../tracing/events';
import { createRuntime } from '../runtime';

const answer = chain('answer', { input: z.object({ question: z.string() }) })
  .step('report', llm({ prompt: 'Write the report.' }))
  .returns(({ report }) => report.text);

/**
 * A model whose calls stream what the test pushes, when it pushes it: two calls of a hedged pair
 * can be made to stream in one tick, in a chosen order. A call stops when it is aborted.
 */
function pushedModel(id: string) {
  const calls: ReadableStreamDefaultController<LanguageModelV4StreamPart>[] = [];
  const model: LanguageModelV4 = {
    specificationVersion: 'v4',
    provider: 'test',
    modelId: id,
    supportedUrls: {},
    doGenerate: () => Promise.reject(new Error('pushed models only stream')),
    async doStream() {
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start: (controller) => {
          calls.push(controller);
          controller.enqueue({ type: 'text-start', id: '0' });
        },
      });
      return { stream };
    },
  };
  const call = (index: number) => {
    const controller = calls[index]!;
    return {
      text: (delta: string) => controller.enqueue({ type: 'text-delta', id: '0', delta }),
      /** The connection drops mid-stream, as a socket closed by the other side. */
      cut() {
        controller.error(
          Object.assign(new TypeError('terminated'), {
            cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
          }),
        );
      },
      end() {
        controller.enqueue({ type: 'text-end', id: '0' });
        controller.enqueue({
          type: 'finish',
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: {
            inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 10, text: 10, reasoning: 0 },
          },
        });
        controller.close();
      },
    };
  };
  return { model, calls, call };
}

/** Lets the run go on (the virtual clock, the streams) until `ready` holds. */
async function until(ready: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !ready(); turn += 1)
    await new Promise((resolve) => setTimeout(resolve, 0));
  expect(ready()).toBe(true);
}

/** `fast` is hedged with `cheap` after 100 ms; the test says when each streams what. */
function setup() {
  const clock = createVirtualClock();
  const fast = pushedModel('fast');
  const cheap = pushedModel('cheap');
  const pool = createModelPool(
    [
      defineModel(fast.model, { ...mercury2, id: 'fast' }),
      defineModel(cheap.model, { ...deepseekFlash, id: 'cheap' }),
    ],
    { clock },
  );
  const runtime = createRuntime({
    models: pool,
    hedge: { enabled: true, afterMs: 100 },
    timeouts: false,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
  });
  const hedges: HotpathEvents['step:hedge'][0][] = [];
  runtime.on('step:hedge', (event) => hedges.push(event));
  const result = runtime.stream(answer, { question: 'q' });
  const chunks: UIMessageChunk[] = [];
  const ui = (async () => {
    for await (const chunk of result.toUIMessageStream()) chunks.push(chunk);
  })();
  const text = (async () => {
    let read = '';
    try {
      for await (const piece of result.textStream) read += piece;
      return { read, error: undefined };
    } catch (error) {
      return { read, error };
    }
  })();
  return { fast, cheap, result, hedges, chunks, ui, text };
}

describe('runtime.stream of a hedged answer', () => {
  it('follows the call that won when the loser streams in the same tick', async () => {
    const { fast, cheap, result, hedges, chunks, ui, text } = setup();
    await until(() => fast.calls.length === 1 && cheap.calls.length === 1);
    // Both first chunks in one tick: the primary's is heard first and wins the race.
    fast.call(0).text('Primary, ');
    cheap.call(0).text('Hedge, ');
    await until(() => hedges.length === 2);
    fast.call(0).text('to the end.');
    fast.call(0).end();
    expect(await result.output).toBe('Primary, to the end.');
    expect(hedges.map((event) => event.outcome)).toEqual(['started', 'primary-won']);
    // The answer never started again: the text read is the output, with no error.
    expect(await text).toEqual({ read: 'Primary, to the end.', error: undefined });
    await ui;
    expect(chunks.filter((chunk) => chunk.type === 'reset-step')).toEqual([]);
    const deltas = chunks.flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta] : []));
    expect(deltas.join('')).toBe('Primary, to the end.');
  });

  it('follows the hedge when it wins in the same tick, not the primary heard after it', async () => {
    const { fast, cheap, result, hedges, chunks, ui, text } = setup();
    await until(() => fast.calls.length === 1 && cheap.calls.length === 1);
    cheap.call(0).text('Hedge, ');
    fast.call(0).text('Primary, ');
    await until(() => hedges.length === 2);
    cheap.call(0).text('to the end.');
    cheap.call(0).end();
    expect(await result.output).toBe('Hedge, to the end.');
    expect(hedges.map((event) => event.outcome)).toEqual(['started', 'hedge-won']);
    expect(await text).toEqual({ read: 'Hedge, to the end.', error: undefined });
    await ui;
    expect(chunks.filter((chunk) => chunk.type === 'reset-step')).toEqual([]);
  });

  it('still starts the answer again when the call that won is cut and a retry writes another text', async () => {
    const { fast, cheap, result, hedges, chunks, ui, text } = setup();
    await until(() => fast.calls.length === 1 && cheap.calls.length === 1);
    fast.call(0).text('Primary, ');
    cheap.call(0).text('Hedge, ');
    await until(() => hedges.length === 2);
    fast.call(0).cut();
    await until(() => fast.calls.length === 2);
    fast.call(1).text('Another answer.');
    fast.call(1).end();
    expect(await result.output).toBe('Another answer.');
    const { error } = await text;
    expect(error).toMatchObject({ name: 'AnswerRestartedError', deliveredChars: 9 });
    await ui;
    expect(chunks.filter((chunk) => chunk.type === 'reset-step')).toHaveLength(1);
    const reset = chunks.findIndex((chunk) => chunk.type === 'reset-step');
    const deltas = (from: number, to?: number) =>
      chunks
        .slice(from, to)
        .flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta] : []))
        .join('');
    expect([deltas(0, reset), deltas(reset)]).toEqual(['Primary, ', 'Another answer.']);
  });
});
