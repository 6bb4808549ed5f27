import { generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedModel } from './emulated-model';
import { planResponse, responseDurationMs } from './engine';

async function timeStream(profile = mercury2, prompt = 'Explain diffusion models.') {
  const clock = createVirtualClock();
  const model = createEmulatedModel({ profile, clock });
  const result = streamText({ model, prompt, maxOutputTokens: 400 });
  const deltas: number[] = [];
  for await (const delta of result.textStream) if (delta.length > 0) deltas.push(clock.now());
  return { deltas, usage: await result.usage, text: await result.text, end: clock.now() };
}

describe('createEmulatedModel', () => {
  it('streams the first token after the planned delay and ends at the planned duration', async () => {
    const { deltas, usage, end } = await timeStream();
    const planned = planResponse(
      mercury2,
      {
        promptText: 'Explain diffusion models.',
        inputTokens: usage.inputTokens!,
        maxOutputTokens: 400,
      },
      1,
    );
    expect(deltas[0]).toBeCloseTo(planned.firstTokenDelayMs, 6);
    expect(end).toBeCloseTo(responseDurationMs(planned), 6);
    expect(usage.outputTokens).toBe(planned.outputTokens);
  });

  it('follows its profile: Mercury answers sooner and decodes faster than DeepSeek', async () => {
    const mercury = await timeStream(mercury2);
    const deepseek = await timeStream(deepseekFlash);
    expect(mercury.deltas[0]).toBeLessThan(deepseek.deltas[0]!);
    const rate = (run: typeof mercury) =>
      run.usage.outputTokens! / ((run.end - run.deltas[0]!) / 1000);
    // Profiles: 1,009 vs 90 tok/s; blocks and jitter blur the measured ratio a little.
    expect(rate(mercury) / rate(deepseek)).toBeGreaterThan(5);
  });

  it('emits diffusion output in large blocks and autoregressive output in small chunks', async () => {
    const mercury = await timeStream(mercury2);
    const deepseek = await timeStream(deepseekFlash);
    expect(mercury.deltas.length).toBeLessThan(deepseek.deltas.length / 8);
  });

  it('is deterministic for the same seed and prompt, and differs across prompts', async () => {
    const first = await timeStream(mercury2, 'same');
    const second = await timeStream(mercury2, 'same');
    const other = await timeStream(mercury2, 'other');
    expect(second.text).toBe(first.text);
    expect(second.deltas).toEqual(first.deltas);
    expect(other.text).not.toBe(first.text);
  });

  it('answers structured requests with a valid instance of the schema', async () => {
    const clock = createVirtualClock();
    const schema = z.object({
      title: z.string().min(3),
      tags: z.array(z.enum(['fast', 'cheap'])).min(1),
      score: z.number().int().min(1).max(5),
    });
    const { output, usage } = await generateText({
      model: createEmulatedModel({ profile: deepseekFlash, clock }),
      prompt: 'Rate it.',
      output: Output.object({ schema }),
    });
    expect(schema.safeParse(output).success).toBe(true);
    expect(usage.outputTokens).toBeGreaterThan(0);
  });

  it('stops streaming when aborted', async () => {
    const clock = createVirtualClock();
    const controller = new AbortController();
    const result = streamText({
      model: createEmulatedModel({ profile: deepseekFlash, clock }),
      prompt: 'long',
      maxOutputTokens: 2000,
      abortSignal: controller.signal,
    });
    let chunks = 0;
    const consume = (async () => {
      for await (const _ of result.textStream) if (++chunks === 3) controller.abort();
    })();
    await consume.catch(() => {});
    expect(chunks).toBe(3);
    expect(clock.now()).toBeLessThan(5000);
  });

  it('calls a tool with input that fits its schema, then answers the result with text', async () => {
    const inputSchema = z.object({ city: z.string().min(1), days: z.number().int().min(1).max(7) });
    const inputs: unknown[] = [];
    const result = await generateText({
      model: createEmulatedModel({ profile: mercury2, clock: createVirtualClock() }),
      prompt: 'Forecast for Porto?',
      tools: {
        forecast: tool({ inputSchema, execute: async (input) => inputs.push(input) }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(result.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(inputs).toHaveLength(1);
    expect(inputSchema.safeParse(inputs[0]).success).toBe(true);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('streams a tool call as input deltas and a call, after the first-token delay', async () => {
    const clock = createVirtualClock();
    const result = streamText({
      model: createEmulatedModel({ profile: deepseekFlash, clock }),
      prompt: 'Look it up.',
      tools: { lookup: tool({ inputSchema: z.object({ query: z.string() }) }) },
      toolChoice: 'required',
    });
    const types: string[] = [];
    for await (const part of result.fullStream) types.push(part.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'tool-input-start',
        'tool-input-delta',
        'tool-input-end',
        'tool-call',
      ]),
    );
    expect(types).not.toContain('text-delta');
    const [call] = await result.toolCalls;
    expect(call?.input).toEqual({ query: expect.any(String) });
    expect(clock.now()).toBeGreaterThan(deepseekFlash.timeToFirstTokenMs * 0.5);
  });
});
