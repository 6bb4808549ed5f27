import { chain, deepseekFlash, llm, mercury2, models, planChain } from 'hotpath';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// 2026-12-02 is a Wednesday: DeepSeek's peak runs 01:00-04:00 UTC (api-docs.deepseek.com,
// "Models & Pricing", read 2026-11-15). One call of 2,000 tokens in and 400 out costs
//   at peak:  2,000 x $0.30/M + 400 x $1.20/M = $0.001080
//   off-peak: 2,000 x $0.15/M + 400 x $0.60/M = $0.000540
const peak = 0.00108;
const offPeak = 0.00054;
const tokens = { inputTokens: 2000, outputTokens: 400 };
const pool = models.emulated({ profiles: [mercury2, deepseekFlash] });
const onFlash = (prompt: string) =>
  llm({ prompt, maxOutputTokens: 400, models: ['deepseek-flash'], expect: tokens });

describe('a plan that runs past a price change', () => {
  it('prices each step at the window it is predicted to start in', () => {
    const two = chain('two', { input: z.object({}) })
      .step('first', onFlash('Draft it.'))
      .step('second', { needs: ['first'] }, onFlash('Check it.'));
    // The first call (~6 s) starts at 03:59:57, at peak; the second after 04:00, off-peak.
    const plan = planChain({
      chain: two.definition,
      pool,
      startAt: Date.parse('2026-12-02T03:59:57Z'),
    });
    expect(plan.step('second')!.predicted.startMs).toBeGreaterThan(3_000);
    expect(plan.step('first')!.predicted.costUsd).toBeCloseTo(peak, 12);
    expect(plan.step('second')!.predicted.costUsd).toBeCloseTo(offPeak, 12);
    expect(plan.costUsd).toBeCloseTo(peak + offPeak, 12);
  });

  it('prices a map wave by wave: the waves that start after 04:00 at the off-peak rate', () => {
    const batch = chain('batch', { input: z.object({}) }).map(
      'extract',
      () => [],
      onFlash('Extract it.'),
      { concurrency: 1, expect: { items: 100 } },
    );
    const plan = planChain({
      chain: batch.definition,
      pool,
      startAt: Date.parse('2026-12-02T03:55:00Z'),
    });
    const step = plan.step('extract')!;
    // One item at a time: the waves that start in the five minutes before 04:00 are at peak.
    const itemMs = step.predicted.durationMs / 100;
    const atPeak = Math.ceil(300_000 / itemMs);
    expect(atPeak).toBeGreaterThan(40);
    expect(atPeak).toBeLessThan(60);
    expect(step.predicted.costUsd).toBeCloseTo(atPeak * peak + (100 - atPeak) * offPeak, 12);
  });

  it('leaves a plan that ends before the change priced at its start', () => {
    const one = chain('one', { input: z.object({}) }).step('only', onFlash('Say it.'));
    const plan = planChain({
      chain: one.definition,
      pool,
      startAt: Date.parse('2026-12-02T03:00:00Z'),
    });
    expect(plan.costUsd).toBeCloseTo(peak, 12);
  });
});
