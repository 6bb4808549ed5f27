import { createOpenAI } from '@ai-sdk/openai';
import { generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { type Emulator, startEmulator } from 'hotpath/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVirtualClock } from '../src/clock';
import { createEmulatedModel } from '../src/emulator/emulated-model';
import { mercury2 } from '../src/models/catalog';
import { fromEnv } from '../src/models/from-env';

let emulator: Emulator;
const chat = (id: string) => createOpenAI({ baseURL: `${emulator.url}/v1`, apiKey: 'k' }).chat(id);
const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 50 });
});
afterAll(() => emulator.close());

describe('the emulator over HTTP, through @ai-sdk/openai', () => {
  it('answers generateText with the same text and usage as the in-process model', async () => {
    const prompt = 'Explain diffusion language models.';
    const http = await generateText({ model: chat('mercury-2'), prompt, maxOutputTokens: 120 });
    const local = await generateText({
      model: createEmulatedModel({ profile: mercury2, clock: createVirtualClock() }),
      prompt,
      maxOutputTokens: 120,
    });
    expect(http.text.length).toBeGreaterThan(100);
    expect(http.text).toBe(local.text);
    expect(http.usage.inputTokens).toBe(local.usage.inputTokens);
    expect(http.usage.outputTokens).toBe(local.usage.outputTokens);
    expect(http.response.modelId).toBe('mercury-2');
  });

  it('streams text deltas over time and reports usage at the end', async () => {
    const result = streamText({
      model: chat('deepseek-flash'),
      prompt: 'Stream a long answer.',
      maxOutputTokens: 200,
    });
    const times: number[] = [];
    let text = '';
    for await (const delta of result.textStream) {
      times.push(performance.now());
      text += delta;
    }
    const usage = await result.usage;
    // 4-token chunks: about 50 of them for 160-200 tokens, arriving one after another.
    expect(times.length).toBeGreaterThan(30);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(0);
    // The provider asks for `stream_options.include_usage`; usage only arrives if it is honoured.
    expect(usage.outputTokens).toBe(Math.ceil(text.length / 4));
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(await result.finishReason).toMatch(/stop|length/);
  });

  it('sends the usage chunk and [DONE] only as the stream options ask', async () => {
    const body = (includeUsage: boolean) =>
      JSON.stringify({
        model: 'mercury-2',
        stream: true,
        stream_options: { include_usage: includeUsage },
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
      });
    const withUsage = await (await post(body(true))).text();
    const without = await (await post(body(false))).text();
    expect(withUsage).toContain('"usage":{"prompt_tokens"');
    expect(without).not.toContain('"usage"');
    expect(withUsage.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(without.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('answers structured output with a valid instance of a zod schema', async () => {
    const schema = z.object({
      title: z.string().min(3),
      queries: z.array(z.string()).min(2).max(5),
      priority: z.enum(['low', 'high']),
      score: z.number().int().min(1).max(10),
    });
    for (const model of ['mercury-2', 'gpt-5-mini']) {
      const { output } = await generateText({
        model: chat(model),
        prompt: 'Plan the research.',
        output: Output.object({ schema }),
      });
      expect(schema.safeParse(output).success).toBe(true);
    }
  });

  it('makes a tool call that fits the schema, then answers the tool result with text', async () => {
    const calls: unknown[] = [];
    const weather = tool({
      description: 'The weather in a city',
      inputSchema: z.object({ city: z.string().min(1), unit: z.enum(['c', 'f']) }),
      execute: async (input) => {
        calls.push(input);
        return { temperature: 21 };
      },
    });
    const result = await generateText({
      model: chat('claude-haiku-4-5'),
      prompt: 'What is the weather in Lisbon?',
      tools: { weather },
      stopWhen: stepCountIs(3),
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.finishReason).toBe('tool-calls');
    expect(result.steps[0]!.toolCalls[0]!.toolName).toBe('weather');
    expect(calls).toHaveLength(1);
    const input = z.object({ city: z.string().min(1), unit: z.enum(['c', 'f']) });
    expect(input.safeParse(calls[0]).success).toBe(true);
    expect(result.steps[1]!.finishReason).toBe('stop');
    expect(result.text.length).toBeGreaterThan(20);
  });

  it('streams a tool call, and honours tool_choice none and a forced tool', async () => {
    const tools = {
      search: tool({ inputSchema: z.object({ query: z.string() }) }),
      lookup: tool({ inputSchema: z.object({ id: z.number().int() }) }),
    };
    const streamed = streamText({ model: chat('mercury-2'), prompt: 'Find it.', tools });
    const [call] = await streamed.toolCalls;
    expect(call?.toolName).toMatch(/search|lookup/);
    const none = await generateText({
      model: chat('mercury-2'),
      prompt: 'Find it.',
      tools,
      toolChoice: 'none',
    });
    expect(none.toolCalls).toHaveLength(0);
    expect(none.text.length).toBeGreaterThan(0);
    const forced = await generateText({
      model: chat('mercury-2'),
      prompt: 'Find it.',
      tools,
      toolChoice: { type: 'tool', toolName: 'lookup' },
    });
    expect(forced.toolCalls[0]?.toolName).toBe('lookup');
    expect(forced.toolCalls[0]?.input).toEqual({ id: expect.any(Number) });
    expect(z.object({ id: z.number().int() }).safeParse(forced.toolCalls[0]?.input).success).toBe(
      true,
    );
  });

  it('lists its models, and serves them to fromEnv through HOTPATH_EMULATOR_URL', async () => {
    const list = (await (await fetch(`${emulator.url}/v1/models`)).json()) as {
      data: Array<{ id: string }>;
    };
    expect(list.data.map((model) => model.id)).toEqual(emulator.models.map((model) => model.id));
    const lines: string[] = [];
    const pool = fromEnv({
      env: { HOTPATH_EMULATOR_URL: emulator.url, OPENAI_API_KEY: 'ignored' },
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toContain(`the emulator at ${emulator.url}/v1`);
    const entry = pool.get('deepseek-flash');
    expect(entry.model.provider).toBe('openai.chat');
    const before = emulator.stats().models['deepseek-flash']?.requests ?? 0;
    const { text } = await generateText({ model: entry.model, prompt: 'hi', maxOutputTokens: 10 });
    expect(text.length).toBeGreaterThan(0);
    expect(emulator.stats().models['deepseek-flash']?.requests).toBe(before + 1);
  });
});

describe('invalid requests', () => {
  const cases: Array<[string, string, number, string | null]> = [
    ['bad JSON', '{"model": "mercury-2", messages', 400, null],
    [
      'an unknown model',
      '{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}',
      404,
      'model',
    ],
    ['missing messages', '{"model":"mercury-2"}', 400, 'messages'],
    ['empty messages', '{"model":"mercury-2","messages":[]}', 400, 'messages'],
    [
      'a bad role',
      '{"model":"mercury-2","messages":[{"role":"bot","content":"x"}]}',
      400,
      'messages[0].role',
    ],
    [
      'a developer message to Mercury',
      '{"model":"mercury-2","messages":[{"role":"developer","content":"x"}]}',
      400,
      'messages[0].role',
    ],
    [
      'a bad max_tokens',
      '{"model":"mercury-2","max_tokens":-1,"messages":[{"role":"user","content":"x"}]}',
      400,
      'max_tokens',
    ],
    [
      'an unknown forced tool',
      '{"model":"mercury-2","tools":[],"tool_choice":{"type":"function","function":{"name":"x"}},"messages":[{"role":"user","content":"x"}]}',
      400,
      'tool_choice',
    ],
    ['a JSON array', '[1,2]', 400, null],
  ];
  it.each(cases)('answers %s with an OpenAI-shaped 4xx', async (_, body, status, param) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    const error = ((await response.json()) as { error: Record<string, unknown> }).error;
    expect(error).toEqual({
      message: expect.any(String),
      type: 'invalid_request_error',
      param,
      code: expect.any(String),
    });
  });

  it('accepts the developer role where the profile does, and keeps serving after bad requests', async () => {
    const response = await post(
      '{"model":"gpt-5-mini","max_tokens":5,"messages":[{"role":"developer","content":"x"},{"role":"user","content":"y"}]}',
    );
    expect(response.status).toBe(200);
    expect(emulator.stats().rejected).toBeGreaterThanOrEqual(cases.length);
  });

  it('serves custom profiles, refusing what their capabilities lack', async () => {
    const basic = {
      ...mercury2,
      id: 'basic-model',
      capabilities: { structuredOutput: false, tools: false, developerRole: true },
    };
    const custom = await startEmulator({ models: [basic], timeScale: 100 });
    try {
      const ask = (extra: object) =>
        fetch(`${custom.url}/v1/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({
            model: 'basic-model',
            messages: [{ role: 'user', content: 'x' }],
            ...extra,
          }),
        });
      const withTools = await ask({ tools: [{ type: 'function', function: { name: 't' } }] });
      expect(withTools.status).toBe(400);
      expect(await withTools.json()).toMatchObject({ error: { param: 'tools' } });
      const withSchema = await ask({
        response_format: { type: 'json_schema', json_schema: { schema: {} } },
      });
      expect(withSchema.status).toBe(400);
      expect((await ask({ max_tokens: 4 })).status).toBe(200);
      expect((await ask({ model: 'mercury-2' })).status).toBe(404);
    } finally {
      await custom.close();
    }
  });

  it('refuses a wrong or missing key with 401 when started with one', async () => {
    const locked = await startEmulator({ apiKey: 'secret', timeScale: 100 });
    try {
      const ask = (key?: string) =>
        generateText({
          model: createOpenAI({ baseURL: `${locked.url}/v1`, apiKey: key ?? '' }).chat('mercury-2'),
          prompt: 'hi',
          maxOutputTokens: 5,
          maxRetries: 0,
        });
      await expect(ask('wrong')).rejects.toMatchObject({ statusCode: 401, isRetryable: false });
      const bare = await fetch(`${locked.url}/v1/models`);
      expect(bare.status).toBe(401);
      await expect(ask('secret')).resolves.toMatchObject({ finishReason: expect.any(String) });
    } finally {
      await locked.close();
    }
  });
});
