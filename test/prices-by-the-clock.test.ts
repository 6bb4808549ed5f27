import {
  chain,
  createRuntime,
  createVirtualClock,
  deepseekFlash,
  llm,
  mercury2,
  models,
} from 'hotpath';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { computeCost } from '../src/models/cost';

// 2026-12-02 is a Wednesday: DeepSeek's peak runs 01:00-04:00 and 06:00-10:00 UTC.
const peakPricing = { inputPerMTok: 0.3, cachedInputPerMTok: 0.006, outputPerMTok: 1.2 };
const offPeakPricing = { inputPerMTok: 0.15, cachedInputPerMTok: 0.003, outputPerMTok: 0.6 };

const one = chain('one', { input: z.object({ q: z.string() }) }).step(
  'answer',
  llm({ prompt: ({ input }) => `Answer: ${input.q}`, models: ['deepseek-flash'] }),
);

async function runAt(iso: string) {
  const clock = createVirtualClock({ startAt: new Date(iso) });
  const pool = models.emulated({ profiles: [mercury2, deepseekFlash], clock });
  const runtime = createRuntime({ models: pool });
  const { trace } = await runtime.run(one, { q: 'why is the sky blue?' });
  return { record: trace.steps[0]!, stats: pool.stats() };
}

describe('prices by the clock', () => {
  it('prices a DeepSeek call at 02:00 UTC on a Wednesday at peak, at 12:00 off-peak', async () => {
    const peak = await runAt('2026-12-02T02:00:00Z');
    const offPeak = await runAt('2026-12-02T12:00:00Z');
    // Same deterministic call, same tokens; twice the price at peak.
    expect(peak.record.usage).toEqual(offPeak.record.usage);
    expect(peak.record.costUsd).toBeCloseTo(computeCost(peakPricing, peak.record.usage), 15);
    expect(offPeak.record.costUsd).toBeCloseTo(
      computeCost(offPeakPricing, offPeak.record.usage),
      15,
    );
    expect(peak.record.costUsd).toBeCloseTo(2 * offPeak.record.costUsd, 15);
    // The emulator bills by the same sheet.
    expect(peak.stats.costUsd).toBeCloseTo(peak.record.costUsd, 15);
    expect(offPeak.stats.costUsd).toBeCloseTo(offPeak.record.costUsd, 15);
  });

  it('prices a call that starts at peak and ends off-peak at its start', async () => {
    // Starts one second before 04:00; DeepSeek takes over 1.6 s to its first token alone.
    const { record, stats } = await runAt('2026-12-02T03:59:59Z');
    expect(record.durationMs).toBeGreaterThan(1000);
    expect(record.costUsd).toBeCloseTo(computeCost(peakPricing, record.usage), 15);
    expect(stats.costUsd).toBeCloseTo(record.costUsd, 15);
  });

  it('prices a Saturday at 02:00 UTC off-peak', async () => {
    const { record } = await runAt('2026-12-05T02:00:00Z');
    expect(record.costUsd).toBeCloseTo(computeCost(offPeakPricing, record.usage), 15);
  });

  /*
   * 8 map items of 1,000 tokens in, 500 out, by hand:
   *   mercury-2, any hour:      (1000 x 0.25 + 500 x 0.75) / 1M = $0.000625 an item
   *   deepseek-flash off-peak:  (1000 x 0.15 + 500 x 0.60) / 1M = $0.000450 an item
   *   deepseek-flash at peak:   (1000 x 0.30 + 500 x 1.20) / 1M = $0.000900 an item
   * Off-peak the map goes to DeepSeek (cheaper, slower); at peak Mercury is faster and cheaper.
   */
  const fanOut = chain('fan', { input: z.object({ q: z.string() }) }).map(
    'items',
    ({ input }) => [input.q],
    llm({ prompt: (q: string) => q, expect: { inputTokens: 1000, outputTokens: 500 } }),
    { concurrency: 8, expect: { items: 8 } },
  );
  const planAt = (iso: string) => {
    const clock = createVirtualClock({ startAt: new Date(iso) });
    const runtime = createRuntime({
      models: models.emulated({ profiles: [mercury2, deepseekFlash], clock }),
    });
    return runtime.plan(fanOut);
  };

  it('moves a map between DeepSeek off-peak and Mercury at peak, and says why', () => {
    const offPeak = planAt('2026-12-02T12:00:00Z');
    expect(offPeak.step('items')).toMatchObject({ model: 'deepseek-flash', lane: 'cheap' });
    expect(offPeak.costUsd).toBeCloseTo(8 * 0.00045, 12);
    expect(offPeak.explain()).toContain('prices: deepseek-flash off-peak until Thu 01:00 UTC');

    const peak = planAt('2026-12-02T02:00:00Z');
    expect(peak.step('items')!.model).toBe('mercury-2');
    expect(peak.costUsd).toBeCloseTo(8 * 0.000625, 12);
    expect(peak.baselines.allCheap.costUsd).toBeCloseTo(8 * 0.000625, 12);
    expect(peak.explain()).toContain('prices: deepseek-flash peak until 04:00 UTC');
  });
});
