import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAI } from '@ai-sdk/openai';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { chain, createModelPool, createRuntime, defineModel, llm, mercury2 } from 'hotpath';
import { type EmulatorFault, startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Clock, createVirtualClock } from '../src/clock';
import { createEmulatedModel } from '../src/emulator/emulated-model';

const answer = chain('answer', { input: z.object({}) })
  .step('report', llm({ prompt: 'Write the report.', maxOutputTokens: 100 }))
  .returns(({ report }) => report.text);

/**
 * An OpenAI-compatible server whose odd-numbered answers send some text and then an error frame, as
 * OpenAI does when its server fails mid-stream (`data: {"error": {...}}` on a 200 stream).
 */
async function serve(
  broken = (error: unknown) => `data: ${JSON.stringify({ error })}\n\n`,
): Promise<{ server: Server; baseURL: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (content: string) =>
        `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'mercury-2', choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] })}\n\n`;
      response.write(chunk('The answer '));
      response.write(chunk('is '));
      if (requests % 2 === 1) {
        const error = {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
        };
        response.end(broken(error));
        return;
      }
      response.write(chunk('42.'));
      const finish = {
        id: 'c',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'mercury-2',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      };
      response.end(`data: ${JSON.stringify(finish)}\n\ndata: [DONE]\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseURL: `http://127.0.0.1:${port}/v1`, requests: () => requests };
}

/** mercury-2 through `@ai-sdk/openai` at `baseURL`, tried twice; the reasons it retried. */
function retryingRuntime(baseURL: string) {
  const openai = createOpenAI({ baseURL, apiKey: 'any' });
  const models = createModelPool([defineModel(openai.chat('mercury-2'), mercury2)]);
  const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };
  const runtime = createRuntime({ models, retry, hedge: { enabled: false } });
  const retries: string[] = [];
  runtime.on('step:retry', (event) => retries.push(event.reason));
  return { models, runtime, retries };
}

describe("a stream that breaks mid-answer in the provider's own words, over HTTP", () => {
  it('is retried as a server error, and a failure names the provider message', async () => {
    const { server, baseURL, requests } = await serve();
    try {
      const { models, runtime, retries } = retryingRuntime(baseURL);
      const result = runtime.stream(answer, {});
      let text = '';
      for await (const delta of result.textStream) text += delta;
      expect(await result.output).toBe('The answer is 42.');
      expect(text).toBe('The answer is 42.');
      expect(retries).toEqual(['server-error']);
      expect(requests()).toBe(2);

      const once = createRuntime({ models, retry: { maxAttempts: 1 }, hedge: { enabled: false } });
      const error = await once.run(answer, {}).catch((caught: unknown) => caught);
      expect((error as Error).message).toBe(
        'Step `report` of chain `answer` failed on mercury-2: every candidate failed (mercury-2); last: The server had an error while processing your request.',
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retries a chunk that breaks the chunk schema as a stream cut, not as the step output', async () => {
    const { server, baseURL, requests } = await serve(
      () => 'data: {"id":"c","choices":"none"}\n\n',
    );
    try {
      const { runtime, retries } = retryingRuntime(baseURL);
      expect((await runtime.run(answer, {})).output).toBe('The answer is 42.');
      expect(retries).toEqual(['stream-cut']);
      expect(requests()).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the same breaks driven by the emulator, over HTTP and in process', () => {
  const cases: Array<[EmulatorFault, string]> = [
    [{ kind: 'error-frame', status: 503 }, 'server-error'],
    [{ kind: 'bad-chunk' }, 'stream-cut'],
  ];

  it.each(cases)('%o on the first request is retried as %s', async (fault, reason) => {
    const faults = [{ fault, requests: [1] }];
    const emulator = await startEmulator({ timeScale: 1000, faults });
    const retry = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };
    const run = async (model: LanguageModelV4, clock?: Clock) => {
      const models = createModelPool([defineModel(model, mercury2)], clock && { clock });
      const runtime = createRuntime({ models, retry, hedge: { enabled: false } });
      const retries: string[] = [];
      runtime.on('step:retry', (event) => retries.push(event.reason));
      const { output } = await runtime.run(answer, {});
      return { output, retries };
    };
    try {
      const openai = createOpenAI({ baseURL: `${emulator.url}/v1`, apiKey: 'any' });
      const http = await run(openai.chat('mercury-2'));
      expect(http.retries).toEqual([reason]);
      expect(typeof http.output).toBe('string');
      expect(emulator.stats()).toMatchObject({ requests: 2, faults: { [fault.kind]: 1 } });
      const clock = createVirtualClock();
      const local = await run(createEmulatedModel({ profile: mercury2, clock, faults }), clock);
      expect(local).toEqual(http);
    } finally {
      await emulator.close();
    }
  });
});
