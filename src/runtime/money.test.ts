import { tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Script, scriptedModel } from '../../test/helpers/scripted-model';
import { agent, chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import type { EmulatorFaults } from '../emulator/faults';
import { claudeHaiku45, deepseekFlash, mercury2 } from '../models/catalog';
import { computeCost, type TokenUsage } from '../models/cost';
import { createEmulatedPool } from '../models/emulated-pool';
import { createModelPool, defineModel } from '../models/pool';
import type { RunTrace } from '../tracing/records';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({ q: z.string() });
const profiles = [mercury2, claudeHaiku45];

/** An in-process emulator on a virtual clock, and a runtime over it. */
function emulated(faults: EmulatorFaults, options: Partial<RuntimeOptions> = {}) {
  const pool = createEmulatedPool({ clock: createVirtualClock(), profiles, faults });
  const runtime = createRuntime({ models: pool, hedge: false, ...options });
  return { pool, runtime };
}

/** What the emulator served, per model, as token counts and dollars at each model's prices. */
function served(pool: ReturnType<typeof createEmulatedPool>) {
  const byModel: Record<string, { usage: TokenUsage; costUsd: number }> = {};
  for (const [id, stats] of Object.entries(pool.stats().models)) {
    const usage = {
      inputTokens: stats.inputTokens,
      cachedInputTokens: 0,
      outputTokens: stats.outputTokens,
      reasoningTokens: 0,
    };
    const profile = profiles.find((entry) => entry.id === id)!;
    byModel[id] = { usage, costUsd: computeCost(profile.pricing, usage) };
  }
  return byModel;
}

function modelSpend(trace: RunTrace) {
  return Object.fromEntries(
    Object.entries(trace.models ?? {}).map(([id, totals]) => [
      id,
      { usage: totals.usage, costUsd: totals.costUsd },
    ]),
  );
}

describe('a call cut mid-stream', () => {
  const prompts = {
    prompt: llm({
      prompt: ({ input }: { input: { q: string } }) =>
        `Explain briefly why the sky looks blue: ${input.q}`,
      lane: 'fast',
    }),
    system: llm({
      system: 'You answer in one short paragraph.',
      prompt: ({ input }: { input: { q: string } }) => `Why is the sea salty? ${input.q}`,
      lane: 'fast',
    }),
    messages: llm({
      messages: ({ input }: { input: { q: string } }) => [
        { role: 'user' as const, content: 'Name a colour.' },
        { role: 'assistant' as const, content: 'Blue.' },
        { role: 'user' as const, content: `And another one, ${input.q}?` },
      ],
      lane: 'fast',
    }),
  };
  for (const [name, step] of Object.entries(prompts)) {
    it(`is billed with the prompt count the emulator bills (${name})`, async () => {
      const { pool, runtime } = emulated([{ fault: { kind: 'cut' }, requests: [1] }]);
      const one = chain('one', { input }).step('answer', step);
      const { trace } = await runtime.run(one, { q: 'at noon' });
      expect(pool.stats().faults.cut).toBe(1);
      expect(trace.steps[0]!.attempt).toBe(2);
      const [model] = Object.keys(served(pool));
      expect(trace.usage).toEqual(served(pool)[model!]!.usage);
      expect(trace.costUsd).toBeCloseTo(served(pool)[model!]!.costUsd, 15);
      // The cut call's tokens were counted from its text: the record and the trace say so.
      expect(trace.steps[0]!.usageEstimated).toBe(true);
      expect(trace.usageEstimated).toBe(true);
    });
  }

  it('leaves a run whose every call reported its usage unmarked, a map included', async () => {
    const { runtime } = emulated([]);
    const fan = chain('fan', { input })
      .step('answer', prompts.prompt)
      .map('more', () => ['a', 'b'], llm({ prompt: (word: string) => `Say ${word}` }));
    const { trace } = await runtime.run(fan, { q: 'clean' });
    expect(trace.steps.map((record) => 'usageEstimated' in record)).toEqual([false, false]);
    expect(trace.items.more!.some((record) => 'usageEstimated' in record)).toBe(false);
    expect('usageEstimated' in trace).toBe(false);
  });

  it('marks a map whose item was cut, and the trace', async () => {
    const { runtime } = emulated([{ fault: { kind: 'cut' }, requests: [2] }]);
    const fan = chain('fan', { input }).map(
      'more',
      () => ['a', 'b', 'c'],
      llm({ prompt: (word: string) => `Say ${word}` }),
    );
    const { trace } = await runtime.run(fan, { q: 'cut' });
    expect(trace.items.more!.filter((record) => record.usageEstimated)).toHaveLength(1);
    expect(trace.steps[0]!.usageEstimated).toBe(true);
    expect(trace.usageEstimated).toBe(true);
  });
});

describe('a retried agent attempt', () => {
  it('bills every model call of the failed attempt, its tool rounds included', async () => {
    const tools = {
      weather: tool({
        description: 'The weather in a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, celsius: 21 }),
      }),
    };
    // The second model call (the answer after the tool round) is cut: the attempt is retried.
    const { pool, runtime } = emulated([{ fault: { kind: 'cut' }, requests: [2] }]);
    const trip = chain('trip', { input }).step(
      'research',
      agent({ prompt: ({ input }) => `What is the weather in ${input.q}?`, tools, maxSteps: 4 }),
    );
    const { trace } = await runtime.run(trip, { q: 'Lisbon' });
    expect(pool.stats().requests).toBe(4);
    expect(trace.steps[0]!.attempt).toBe(2);
    const [model] = Object.keys(served(pool));
    expect(trace.usage).toEqual(served(pool)[model!]!.usage);
    expect(trace.costUsd).toBeCloseTo(served(pool)[model!]!.costUsd, 15);
  });
});

describe('spend by model', () => {
  it('charges a fallback its own tokens at its own prices, and the model it left its own', async () => {
    const { pool, runtime } = emulated([{ fault: { kind: 'cut' }, model: 'mercury-2' }], {
      retry: { maxAttempts: 2 },
    });
    const one = chain('one', { input }).step(
      'answer',
      llm({ prompt: ({ input }) => `Say something about ${input.q}`, lane: 'fast' }),
    );
    const { trace } = await runtime.run(one, { q: 'fallbacks' });
    expect(trace.steps[0]).toMatchObject({ model: 'claude-haiku-4-5', fallbacks: ['mercury-2'] });
    expect(pool.stats().models['mercury-2']!.requests).toBe(2);
    const expected = served(pool);
    const actual = modelSpend(trace);
    expect(Object.keys(actual).sort()).toEqual(['claude-haiku-4-5', 'mercury-2']);
    for (const id of Object.keys(expected)) {
      expect(actual[id]!.usage).toEqual(expected[id]!.usage);
      expect(actual[id]!.costUsd).toBeCloseTo(expected[id]!.costUsd, 15);
    }
    expect(trace.models!['mercury-2']!.calls).toBe(1);
    expect(trace.models!['claude-haiku-4-5']!.calls).toBe(1);
  });

  it('names the model and the attempt that failed last on a failed record', async () => {
    const clock = createVirtualClock();
    const scripted = (id: string, scripts: Script[]) => scriptedModel(id, clock, scripts);
    const pool = createModelPool(
      [
        defineModel(scripted('fast', [{ type: 'http', status: 500 }]), { ...mercury2, id: 'fast' }),
        defineModel(scripted('cheap', [{ type: 'http', status: 400 }]), {
          ...deepseekFlash,
          id: 'cheap',
        }),
      ],
      { clock },
    );
    const runtime = createRuntime({
      models: pool,
      hedge: false,
      retry: { maxAttempts: 2 },
      _internal: { random: () => 0.5 },
    });
    const ended: RunTrace[] = [];
    runtime.on('chain:end', (trace) => {
      ended.push(trace);
    });
    const one = chain('one', { input }).step('answer', llm({ prompt: 'hi', lane: 'fast' }));
    const error = await runtime.run(one, { q: 'x' }).catch((caught) => caught);
    expect(error).toMatchObject({ model: 'cheap', attempt: 3 });
    expect(ended[0]!.steps[0]).toMatchObject({ status: 'error', model: 'cheap', attempt: 3 });
  });
});
