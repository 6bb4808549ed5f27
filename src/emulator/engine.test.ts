import { describe, expect, it } from 'vitest';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { type EmulatedRequest, planResponse, responseDurationMs } from './engine';
import { planOutcome } from './outcome';

const request: EmulatedRequest = {
  promptText: 'Explain it.',
  inputTokens: 10,
  maxOutputTokens: 300,
};
const tools = [
  {
    name: 'search',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
  },
];

describe('planResponse', () => {
  it('adds prefill time for a longer input, at the profile prefill rate', () => {
    const short = planResponse(deepseekFlash, request, 1);
    const long = planResponse(deepseekFlash, { ...request, inputTokens: 80_010 }, 1);
    const prefillMs = (80_000 / deepseekFlash.prefillTokensPerSecond) * 1000;
    expect(long.firstTokenDelayMs - short.firstTokenDelayMs).toBeCloseTo(prefillMs, 6);
    expect(long.text).toBe(short.text);
  });

  it('streams diffusion output in 64-token blocks and the others in 4-token chunks', () => {
    const blocks = planResponse(mercury2, request, 1).chunks;
    const chunks = planResponse(deepseekFlash, request, 1).chunks;
    expect(blocks[0]!.text).toHaveLength(256);
    expect(chunks[0]!.text).toHaveLength(16);
    // ~1,009 tok/s: a 64-token block takes ~63 ms; ~90 tok/s: 4 tokens take ~44 ms.
    expect(blocks[1]!.delayMs).toBeGreaterThan(45);
    expect(blocks[1]!.delayMs).toBeLessThan(85);
    expect(chunks[1]!.delayMs).toBeGreaterThan(33);
    expect(chunks[1]!.delayMs).toBeLessThan(60);
  });

  it('calls a tool for a user message on auto, and answers a tool result with text', () => {
    const call = planResponse(mercury2, { ...request, tools, lastRole: 'user' }, 1);
    expect(call).toMatchObject({
      text: '',
      finishReason: 'tool-calls',
      toolCall: { name: 'search' },
    });
    expect(JSON.parse(call.toolCall!.input)).toEqual({ q: expect.any(String) });
    expect(call.chunks.map((chunk) => chunk.text).join('')).toBe(call.toolCall!.input);
    const answer = planResponse(mercury2, { ...request, tools, lastRole: 'tool' }, 1);
    expect(answer.toolCall).toBeUndefined();
    expect(answer.finishReason).not.toBe('tool-calls');
    expect(answer.text.length).toBeGreaterThan(0);
  });

  it('follows tool_choice: none never calls, required and a named tool always do', () => {
    const choose = (toolChoice: EmulatedRequest['toolChoice']) =>
      planResponse(mercury2, { ...request, tools, toolChoice, lastRole: 'tool' }, 1).toolCall?.name;
    expect(choose('none')).toBeUndefined();
    expect(choose('required')).toBe('search');
    expect(choose({ toolName: 'search' })).toBe('search');
  });
});

describe('planOutcome', () => {
  const plain = planResponse(deepseekFlash, request, 1);

  it('leaves the plan alone without a fault', () => {
    expect(planOutcome(deepseekFlash, request, 1)).toEqual({ type: 'answer', response: plain });
  });

  it('stalls the first token, slows decoding, and cuts after a share of the chunks', () => {
    const stalled = planOutcome(deepseekFlash, request, 1, { kind: 'stall', ms: 5000 });
    const slowed = planOutcome(deepseekFlash, request, 1, { kind: 'slow', factor: 3 });
    const cut = planOutcome(deepseekFlash, request, 1, { kind: 'cut', after: 0.25 });
    if (stalled.type !== 'answer' || slowed.type !== 'answer' || cut.type !== 'answer') {
      throw new Error('expected answers');
    }
    expect(stalled.response.firstTokenDelayMs - plain.firstTokenDelayMs).toBe(5000);
    const decode = (response: typeof plain) =>
      responseDurationMs(response) - response.firstTokenDelayMs;
    expect(decode(slowed.response) / decode(plain)).toBeCloseTo(3, 9);
    expect(cut.cut?.afterChunks).toBe(Math.round(plain.chunks.length * 0.25));
  });

  it('answers HTTP faults and resets after the round trip', () => {
    expect(
      planOutcome(mercury2, request, 1, { kind: 'rate-limit', retryAfterSeconds: 3 }),
    ).toMatchObject({
      type: 'http-error',
      delayMs: mercury2.roundTripMs,
      error: {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { error: { code: 'rate_limit_exceeded' } },
      },
    });
    expect(planOutcome(mercury2, request, 1, { kind: 'reset' })).toEqual({
      type: 'reset',
      delayMs: mercury2.roundTripMs,
    });
  });
});
