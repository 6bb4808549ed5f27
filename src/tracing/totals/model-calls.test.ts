import { tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agent, chain, llm } from '../../chain';
import { createVirtualClock } from '../../clock';
import { BudgetExceededError } from '../../errors';
import { deepseekFlash, mercury2 } from '../../models/catalog';
import { createEmulatedPool } from '../../models/emulated-pool';
import { createRuntime } from '../../runtime/runtime';
import { formatWaterfall } from '../format/waterfall';
import type { RunTrace } from '../records';

const tools = {
  weather: tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  }),
};
const input = z.object({ city: z.string() });

function runtime(options: { maxCostUsd?: number } = {}) {
  return createRuntime({
    models: createEmulatedPool({
      profiles: [mercury2, deepseekFlash],
      clock: createVirtualClock(),
    }),
    ...options,
  });
}

describe('model calls in the run summary', () => {
  it('counts each of an agent step’s model calls', async () => {
    const trip = chain('trip', { input })
      .step('advice', agent({ prompt: ({ input }) => `Weather in ${input.city}?`, tools }))
      .step('summary', llm({ prompt: ({ advice }) => advice.text, maxOutputTokens: 20 }));
    const { output, trace } = await runtime().run(trip, { city: 'Oslo' });
    // The agent asked for the tool, then answered: two model calls, and one for the summary.
    expect(output.advice.steps).toBe(2);
    expect(trace.calls).toBe(3);
    expect(trace.models?.['mercury-2']?.calls).toBe(3);
    const text = formatWaterfall(trace, { width: 100, color: false });
    expect(text).toContain('(3 model calls, ');
    expect(text).toContain('(3 calls)');
  });

  it('says `1 model call` for one', async () => {
    const one = chain('one', { input }).step('a', llm({ prompt: 'x', maxOutputTokens: 10 }));
    const { trace } = await runtime().run(one, { city: 'Oslo' });
    expect(trace.calls).toBe(1);
    const text = formatWaterfall(trace, { width: 100, color: false });
    expect(text).toContain('(1 model call, ');
    expect(text).toContain('(1 call)');
  });

  it('does not count calls the budget refused before sending them', async () => {
    const digest = chain('digest', { input })
      .step('outline', llm({ prompt: 'Outline', lane: 'fast', maxOutputTokens: 120 }))
      .map(
        'sections',
        () => ['a', 'b', 'c'],
        llm({ prompt: (s: string) => `Write ${s}`, lane: 'cheap', maxOutputTokens: 200 }),
      );
    // The outline fits the budget; each section's worst case would cross it.
    const failure = await runtime({ maxCostUsd: 0.0001 })
      .run(digest, { city: 'Oslo' })
      .catch((error: unknown) => error);
    expect(BudgetExceededError.isInstance(failure)).toBe(true);
    const { trace } = failure as BudgetExceededError & { trace: RunTrace };
    expect(trace.items.sections?.map((item) => [item.status, item.attempt])).toEqual([
      ['error', 0],
      ['error', 0],
      ['error', 0],
    ]);
    expect(trace.calls).toBe(1);
    expect(trace.models?.['deepseek-flash']?.calls ?? 0).toBe(0);
    expect(formatWaterfall(trace, { width: 100, color: false })).toContain('(1 model call, ');
  });
});
