import { createDeepSeek } from '@ai-sdk/deepseek';
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, Output, streamText } from 'ai';
import { type Emulator, startEmulator } from 'hotpath/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromEnv } from '../src/models/from-env';
import type { PoolModel } from '../src/models/pool';
import {
  createDeepSeekModel,
  createInceptionModel,
  createOpenAIModel,
} from '../src/models/providers';

// Each preset talks to the HTTP emulator on loopback through its real AI SDK provider; a `fetch`
// wrapper records the bodies it sends, which are checked against what each provider documents.
// The emulator refuses what the real APIs refuse (the `developer` role for Mercury), so a wrong
// shape also fails the call.

type Body = Record<string, any>;

// DeepSeek's JSON mode warns that the schema travels in the prompt: expected here.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 50 });
});
afterAll(() => emulator.close());

function recorder() {
  const bodies: Body[] = [];
  const headers: Headers[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (typeof init?.body === 'string') bodies.push(JSON.parse(init.body));
    headers.push(new Headers(init?.headers));
    return globalThis.fetch(input, init);
  };
  return { bodies, headers, fetch };
}

const schema = z.object({
  title: z.string().min(3),
  queries: z.array(z.string()).min(2).max(4),
});
const system = 'You plan research. Answer in JSON when asked for an object.';

/** A text call, a streaming call and a structured-output call; the three bodies they sent. */
async function threeCalls(entry: PoolModel, bodies: Body[]) {
  const text = await generateText({
    model: entry.model,
    system,
    prompt: 'Say hello.',
    maxOutputTokens: 50,
    maxRetries: 0,
  });
  expect(text.text.length).toBeGreaterThan(0);
  const stream = streamText({
    model: entry.model,
    system,
    prompt: 'Stream a greeting.',
    maxOutputTokens: 60,
    maxRetries: 0,
  });
  let streamed = '';
  for await (const delta of stream.textStream) streamed += delta;
  expect(streamed.length).toBeGreaterThan(0);
  // Usage arrives in the stream's last chunk only when `stream_options.include_usage` is sent.
  expect((await stream.usage).outputTokens).toBeGreaterThan(0);
  const call = generateText({
    model: entry.model,
    system,
    prompt: 'Plan the research as JSON.',
    output: Output.object({ schema }),
    maxRetries: 0,
  });
  expect(schema.safeParse((await call).output).success).toBe(true);
  expect(bodies).toHaveLength(3);
  const [plain, streaming, json] = bodies as [Body, Body, Body];
  return { plain, streaming, json };
}

const roles = (body: Body) => (body.messages as { role: string }[]).map((message) => message.role);

describe('Inception Mercury 2 preset', () => {
  it('sends OpenAI chat completions with the system role, max_tokens and its extra fields', async () => {
    const { bodies, headers, fetch } = recorder();
    const entry = createInceptionModel({
      apiKey: 'inception-test-key',
      baseURL: emulator.baseURL,
      fetch,
      body: { reasoning_effort: 'instant' },
    });
    const { plain, streaming, json } = await threeCalls(entry, bodies);

    // Inception's API is OpenAI-compatible chat completions at https://api.inceptionlabs.ai/v1
    // (LiteLLM and Pipecat's Inception docs); DESIGN.md: "no `developer` role".
    for (const body of [plain, streaming, json]) {
      expect(body.model).toBe('mercury-2');
      expect(roles(body)).toEqual(['system', 'user']);
      // `reasoning_effort` with Inception's own `instant` (LiteLLM's Inception page: "an
      // Inception-specific instant value ... alongside the standard low, medium, and high").
      expect(body.reasoning_effort).toBe('instant');
      expect(body.max_completion_tokens).toBeUndefined();
    }
    // Mercury is not one of @ai-sdk/openai's reasoning ids, so it sends the classic `max_tokens`.
    expect(plain.max_tokens).toBe(50);
    expect(plain.stream).toBeUndefined();
    expect(streaming).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(streaming.max_tokens).toBe(60);
    expect(json.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'response', strict: true, schema: { type: 'object' } },
    });
    expect(Object.keys(json.response_format.json_schema.schema.properties)).toEqual([
      'title',
      'queries',
    ]);
    expect(headers[0]!.get('authorization')).toBe('Bearer inception-test-key');
    expect(JSON.stringify(bodies)).not.toContain('inception-test-key');
  });

  it('is what makes the call pass: the same request with the developer role is refused', async () => {
    const developer = createOpenAI({ baseURL: emulator.baseURL, apiKey: 'k' }).chat('mercury-2');
    const refused = await generateText({
      model: developer,
      system,
      prompt: 'Say hello.',
      providerOptions: { openai: { systemMessageMode: 'developer' } },
      maxRetries: 0,
    }).catch((error: unknown) => error);
    expect(APICallError.isInstance(refused) && refused.statusCode).toBe(400);
    expect(String((refused as Error).message)).toContain("'developer' role");
  });

  it('lets a call set its own reasoning effort over the preset default', async () => {
    const { bodies, fetch } = recorder();
    const entry = createInceptionModel({
      apiKey: 'k',
      baseURL: emulator.baseURL,
      fetch,
      body: { reasoning_effort: 'instant', reasoning_summary: true },
    });
    await generateText({ model: entry.model, prompt: 'Hi', reasoning: 'high', maxRetries: 0 });
    expect(bodies[0]).toMatchObject({ reasoning_effort: 'high', reasoning_summary: true });
  });
});

describe('DeepSeek V4 presets through @ai-sdk/deepseek', () => {
  it('send DeepSeek chat completions: max_tokens, include_usage, JSON mode with the schema in a system message', async () => {
    for (const model of ['deepseek-flash', 'deepseek-v4-pro'] as const) {
      const { bodies, fetch } = recorder();
      const entry = createDeepSeekModel({
        apiKey: 'deepseek-test-key',
        baseURL: emulator.baseURL,
        fetch,
        model,
        createDeepSeek,
      });
      expect(entry.model.provider).toBe('deepseek.chat');
      // The emulator reads the schema @ai-sdk/deepseek puts in the prompt, so the structured call
      // answers with a valid object, as for the other presets.
      const { plain, streaming, json } = await threeCalls(entry, bodies);

      // DeepSeek API docs (api-docs.deepseek.com, "Create Chat Completion", "JSON Output"):
      // `max_tokens`; `stream_options.include_usage`; JSON Output is `response_format:
      // {type: 'json_object'}` with the word "json" and the wanted format in the prompt.
      for (const body of [plain, streaming, json]) {
        expect(body.model).toBe(model);
        expect(roles(body)).not.toContain('developer');
        expect(body.max_completion_tokens).toBeUndefined();
      }
      expect(roles(plain)).toEqual(['system', 'user']);
      expect(plain.max_tokens).toBe(50);
      expect(streaming).toMatchObject({ stream: true, stream_options: { include_usage: true } });
      expect(json.response_format).toEqual({ type: 'json_object' });
      const instructions = json.messages
        .filter((message: Body) => message.role === 'system')
        .map((message: Body) => message.content)
        .join('\n');
      expect(instructions).toMatch(/JSON/);
      expect(instructions).toContain('"queries"');
    }
  });

  it('imports the optional peer on the first call when no factory is given', async () => {
    const { bodies, fetch } = recorder();
    const entry = createDeepSeekModel({ apiKey: 'k', baseURL: emulator.baseURL, fetch });
    const { text } = await generateText({ model: entry.model, prompt: 'Hi', maxRetries: 0 });
    expect(text.length).toBeGreaterThan(0);
    expect(bodies[0]!.model).toBe('deepseek-flash');
  });

  it('turns thinking off by default and sends the preset provider options with every call', async () => {
    const { bodies, fetch } = recorder();
    const preset = { apiKey: 'k', baseURL: emulator.baseURL, fetch, createDeepSeek };
    await generateText({ model: createDeepSeekModel(preset).model, prompt: 'Hi', maxRetries: 0 });
    expect(bodies[0]!.thinking).toEqual({ type: 'disabled' });
    const thinking = createDeepSeekModel({
      ...preset,
      providerOptions: { thinking: { type: 'enabled' } },
    });
    await generateText({ model: thinking.model, prompt: 'Hi', maxRetries: 0 });
    expect(bodies[1]!.thinking).toEqual({ type: 'enabled' });
  });
});

describe('OpenAI GPT-5 mini preset', () => {
  it('sends chat completions as OpenAI documents for reasoning models', async () => {
    const { bodies, fetch } = recorder();
    const entry = createOpenAIModel({
      apiKey: 'openai-test-key',
      baseURL: emulator.baseURL,
      fetch,
    });
    expect(entry.model.provider).toBe('openai.chat');
    const { plain, streaming, json } = await threeCalls(entry, bodies);

    // OpenAI API reference, Create chat completion: `max_tokens` "is deprecated in favor of
    // `max_completion_tokens`, and is not compatible with o-series models"; reasoning models take
    // instructions in the `developer` role; Structured Outputs is `response_format: {type:
    // 'json_schema', json_schema: {name, schema, strict}}`; `stream_options.include_usage`.
    for (const body of [plain, streaming, json]) {
      expect(body.model).toBe('gpt-5-mini');
      expect(roles(body)).toEqual(['developer', 'user']);
      expect(body.max_tokens).toBeUndefined();
    }
    expect(plain.max_completion_tokens).toBe(50);
    expect(streaming).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 60,
    });
    expect(json.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'response', strict: true },
    });
  });
});

describe('fromEnv with every key, each provider moved to the emulator', () => {
  it('builds a pool whose every model answers over HTTP', async () => {
    const lines: string[] = [];
    const pool = fromEnv({
      env: {
        INCEPTION_API_KEY: 'a',
        DEEPSEEK_API_KEY: 'b',
        OPENAI_API_KEY: 'c',
        INCEPTION_BASE_URL: emulator.baseURL,
        DEEPSEEK_BASE_URL: emulator.baseURL,
        OPENAI_BASE_URL: emulator.baseURL,
      },
      log: (line) => lines.push(line),
    });
    expect(pool.models.map((entry) => entry.id)).toEqual([
      'mercury-2',
      'deepseek-flash',
      'deepseek-v4-pro',
      'gpt-5-mini',
    ]);
    for (const entry of pool.models) {
      const { text, response } = await generateText({
        model: entry.model,
        system,
        prompt: 'Hi',
        maxOutputTokens: 20,
        maxRetries: 0,
      });
      expect(text.length).toBeGreaterThan(0);
      expect(response.modelId).toBe(entry.id);
    }
    const host = new URL(emulator.baseURL).host;
    expect(lines[0]).toContain(`mercury-2 (INCEPTION_API_KEY via ${host})`);
  });
});
