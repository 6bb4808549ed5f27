import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import type { EmulatorFaultRule } from '../emulator/faults';
import { catalog } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryEstimateStore } from '../scheduler/estimate-store';
import type { StepRecord } from '../tracing/records';
import { callSample } from './feed-history';
import { createRuntime } from './runtime';

/** One step on `models`, run once; the record and what the history learned from it. */
async function runOnce(
  options: {
    faults?: EmulatorFaultRule[];
    models?: string[];
    hedged?: boolean;
    lane?: 'fast';
    maxOutputTokens?: number;
    callPath?: 'streamText';
  } = {},
) {
  const clock = createVirtualClock();
  const history = createMemoryEstimateStore();
  const runtime = createRuntime({
    models: createEmulatedPool({ clock, faults: options.faults }),
    history,
    clock,
    ...(options.hedged !== true && { hedge: false as const }),
  });
  const one = chain('one', { input: z.object({}) }).step(
    'answer',
    llm({
      prompt: 'Say hi',
      models: options.models,
      lane: options.lane,
      maxOutputTokens: options.maxOutputTokens ?? 100,
      callPath: options.callPath,
    }),
  );
  const { trace } = await runtime.run(one, {});
  const learned = history.recentCalls().filter((sample) => sample.status === 'ok');
  return { record: trace.steps[0]!, learned };
}

/** The catalog's first token of a model, round trip included (what a call of it waits). */
const ownFirstTokenMs = (id: string) => catalog[id]!.roundTripMs + catalog[id]!.timeToFirstTokenMs;

describe('the first token the history learns', () => {
  it('is the answering call’s, not the Retry-After wait and the failed attempt before it', async () => {
    const { record, learned } = await runOnce({
      models: ['mercury-2'],
      faults: [
        { fault: { kind: 'rate-limit', retryAfterSeconds: 3 }, model: 'mercury-2', requests: [1] },
      ],
    });
    expect(record).toMatchObject({ model: 'mercury-2', attempt: 2, retries: 1 });
    // The trace's first token is still what the step waited for.
    expect(record.timeToFirstTokenMs).toBeGreaterThan(3000);
    expect(record.firstTokenMs! - record.callStartMs!).toBeLessThan(1000);
    expect(learned).toHaveLength(1);
    expect(learned[0]!.timeToFirstTokenMs).toBe(record.firstTokenMs! - record.callStartMs!);
    expect(learned[0]!.timeToFirstTokenMs).toBeLessThan(ownFirstTokenMs('mercury-2') * 1.5);
  });

  it('is the fallback model’s own, not the time spent on the model it replaced', async () => {
    const { record, learned } = await runOnce({
      models: ['mercury-2', 'claude-haiku-4-5'],
      faults: [{ fault: { kind: 'server-error' }, model: 'mercury-2' }],
    });
    expect(record.model).toBe('claude-haiku-4-5');
    expect(record.fallbacks).toEqual(['mercury-2']);
    const own = ownFirstTokenMs('claude-haiku-4-5');
    expect(record.timeToFirstTokenMs).toBeGreaterThan(own * 1.5);
    expect(learned[0]!.timeToFirstTokenMs).toBeLessThan(own * 1.3);
  });

  it('is the winning hedge’s own, not the wait on the stalled model before it started', async () => {
    const { record, learned } = await runOnce({
      hedged: true,
      lane: 'fast',
      maxOutputTokens: 200,
      faults: [{ fault: { kind: 'stall', ms: 20_000 }, model: 'mercury-2', requests: [1] }],
    });
    expect(record.hedge).toMatchObject({ model: 'claude-haiku-4-5', won: true });
    const own = ownFirstTokenMs('claude-haiku-4-5');
    expect(record.timeToFirstTokenMs).toBeGreaterThan(own * 1.5);
    expect(learned[0]).toMatchObject({ model: 'claude-haiku-4-5' });
    expect(learned[0]!.timeToFirstTokenMs).toBeLessThan(own * 1.3);
  });
});

describe('the output speed the history learns', () => {
  it('leaves out the tokens of the first chunk, which came before decoding was timed', async () => {
    // Mercury 2 streams 64-token blocks: its first block is a fifth of a 300-token answer.
    const { record, learned } = await runOnce({ models: ['mercury-2'], maxOutputTokens: 300 });
    expect(record.firstChunkTokens).toBe(64);
    const profile = catalog['mercury-2']!.outputTokensPerSecond;
    expect(learned[0]!.outputTokensPerSecond).toBeGreaterThan(profile * 0.9);
    expect(learned[0]!.outputTokensPerSecond).toBeLessThan(profile * 1.1);
  });

  it('counts the first chunk through the AI SDK’s `streamText` too', async () => {
    const { record, learned } = await runOnce({
      models: ['mercury-2'],
      maxOutputTokens: 300,
      callPath: 'streamText',
    });
    expect(record.firstChunkTokens).toBe(64);
    const profile = catalog['mercury-2']!.outputTokensPerSecond;
    expect(learned[0]!.outputTokensPerSecond).toBeLessThan(profile * 1.1);
  });

  it('learns no speed from an answer that is little more than its first block', async () => {
    const { record, learned } = await runOnce({ models: ['mercury-2'], maxOutputTokens: 90 });
    expect(record.usage.outputTokens).toBeGreaterThan(64);
    expect(record.decodeMs).toBeGreaterThan(0);
    expect(learned[0]!.outputTokensPerSecond).toBeUndefined();
    expect(learned[0]!.timeToFirstTokenMs).toBeDefined();
  });
});

describe('callSample of a record logged before calls were timed on their own', () => {
  const logged: StepRecord = {
    runId: 'r',
    stepId: 'answer',
    kind: 'llm',
    status: 'ok',
    model: 'mercury-2',
    attempt: 1,
    startMs: 0,
    firstTokenMs: 700,
    endMs: 1100,
    durationMs: 1100,
    timeToFirstTokenMs: 700,
    queueWaitMs: 100,
    decodeMs: 400,
    usage: { inputTokens: 10, cachedInputTokens: 0, outputTokens: 300, reasoningTokens: 0 },
    costUsd: 0,
  };

  it('reads its first token from the step’s start less the queue wait, and every token as decoded', () => {
    expect(callSample(logged)).toMatchObject({
      timeToFirstTokenMs: 600,
      outputTokensPerSecond: 750,
    });
  });

  it('learns no first token when a retry, a fallback or a hedge came before the answer', () => {
    for (const before of [
      { attempt: 2, retries: 1 },
      { fallbacks: ['deepseek-flash'] },
      { hedge: { model: 'claude-haiku-4-5', won: true } },
    ]) {
      const sample = callSample({ ...logged, ...before });
      expect(sample?.timeToFirstTokenMs).toBeUndefined();
      expect(sample?.outputTokensPerSecond).toBe(750);
    }
  });
});

describe('the input the history learns of a call tried again', () => {
  it("is the answering call's own: a call cut mid-stream and retried teaches no doubled prompt", async () => {
    const { record, learned } = await runOnce({
      models: ['mercury-2'],
      faults: [{ fault: { kind: 'cut', after: 0.5 }, model: 'mercury-2', requests: [1] }],
    });
    const clean = await runOnce({ models: ['mercury-2'] });
    expect(record).toMatchObject({ model: 'mercury-2', attempt: 2, usageEstimated: true });
    expect(learned).toHaveLength(1);
    // The record bills both attempts' prompts; the answering call read the prompt once.
    expect(record.usage.inputTokens).toBe(2 * clean.record.usage.inputTokens);
    // ...and keeps the answering call's own usage beside it, which the history learns from.
    expect(record.callUsage).toEqual(clean.record.usage);
    expect(clean.record.callUsage).toBeUndefined();
    expect(learned[0]).toMatchObject({
      inputTokens: clean.record.usage.inputTokens,
      cachedInputTokens: clean.record.usage.cachedInputTokens,
    });
    expect(learned[0]!.timeToFirstTokenMs).toBeGreaterThan(0);
  });
});
