import { chain, createRuntime, fromEnv, llm, type MapItemResult } from 'hotpath';
import { startEmulator } from 'hotpath/node';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findProfile } from '../src/models/catalog';
import { computeCost } from '../src/models/cost';

// A bounded soak on loopback: 2,000 items at concurrency 32 against the HTTP emulator, 5% of the
// requests faulted (429, 500, cut streams, resets, stalls), under a hard budget.
const timeScale = 50;
const faults = [
  { fault: { kind: 'rate-limit' as const, retryAfterSeconds: 1 }, rate: 0.01 },
  { fault: { kind: 'server-error' as const }, rate: 0.01 },
  { fault: { kind: 'cut' as const, after: 0.5 }, rate: 0.01 },
  { fault: { kind: 'reset' as const }, rate: 0.01 },
  { fault: { kind: 'stall' as const, ms: 300_000 }, rate: 0.01 },
];

const fanOut = chain('soak', { input: z.object({ count: z.number() }) }).map(
  'answers',
  ({ input }) => Array.from({ length: input.count }, (_, index) => `question ${index}`),
  llm({ prompt: (question: string) => `Answer briefly: ${question}`, maxOutputTokens: 40 }),
  { concurrency: 32, onItemError: 'collect', expect: { items: 2000 } },
);

describe('soak: 2,000 items at concurrency 32 with 5% faults over HTTP', () => {
  it('accounts for every item, spends exactly what the calls cost, never crosses the budget', async () => {
    const emulator = await startEmulator({ timeScale, faults, seed: 7 });
    try {
      const env = {
        HOTPATH_EMULATOR_URL: emulator.url,
        HOTPATH_EMULATOR_TIME_SCALE: String(timeScale),
      };
      // 2,000 calls of ~10 tokens in and 40 out cost ~$0.051 on deepseek-flash off-peak and twice
      // that at peak (the emulator's clock keeps the real date): the budget covers both, with room
      // for retries.
      const maxCostUsd = 0.15;
      const runtime = createRuntime({
        models: fromEnv({ env, log: false }),
        // 150 s of emulated time is 3 s of real time: stalls (300 s) still time out, while a
        // first token (or a chunk) that two busy cores delay by a second does not.
        timeouts: { firstTokenMs: 150_000, idleMs: 150_000 },
        maxCostUsd,
      });
      let retries = 0;
      runtime.on('step:retry', () => retries++);
      const { output, trace } = await runtime.run(fanOut, { count: 2000 });

      const answers = output.answers as MapItemResult<{ text: string }>[];
      expect(answers).toHaveLength(2000);
      expect(answers.every((answer) => answer.ok || answer.error instanceof Error)).toBe(true);
      const items = trace.items.answers!;
      expect(items).toHaveLength(2000);
      expect(new Set(items.map((record) => record.item)).size).toBe(2000);
      // Retries, timeouts and fallbacks recover every faulted call.
      const failed = answers.filter((answer) => !answer.ok);
      expect(failed.map((answer) => (answer.ok ? '' : answer.error.message))).toEqual([]);

      // Every call's cost, failed and abandoned ones included, adds up to the run's spend.
      const itemCosts = items.reduce((total, record) => total + record.costUsd, 0);
      expect(trace.costUsd).toBeCloseTo(itemCosts, 12);
      // And it matches what the emulator billed, by the same price sheets and windows (the
      // runtime estimates the prompt of a cut call at ~4 characters a token: allow 2%).
      const stats = emulator.stats();
      const served = stats.costUsd;
      const byTokens = Object.entries(stats.models).reduce((total, [id, model]) => {
        const profile = findProfile(id)!;
        return (
          total +
          computeCost(profile.pricing, {
            inputTokens: model.inputTokens,
            cachedInputTokens: 0,
            outputTokens: model.outputTokens,
            reasoningTokens: 0,
          })
        );
      }, 0);
      // The base (off-peak) prices of the same tokens: the bill is that, or up to twice it at peak.
      expect(served).toBeGreaterThanOrEqual(byTokens * 0.999);
      expect(served).toBeLessThanOrEqual(byTokens * 2.001);
      expect(Math.abs(trace.costUsd - served) / served).toBeLessThan(0.02);
      expect(trace.costUsd).toBeLessThanOrEqual(maxCostUsd);
      expect(retries).toBeGreaterThan(0);
      expect(Object.values(stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
      expect(stats.inFlight).toBe(0);
    } finally {
      await emulator.close();
    }
  }, 120_000);
});
