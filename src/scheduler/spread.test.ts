import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import type { ModelProfile } from '../models/profile';
import { createMemoryEstimateStore } from './estimate-store';
import { planChain } from './plan-chain';
import { buildProblem, uniformChoice } from './problem';
import { quantileOf, sampleCount, sampleMakespans, shareWithin } from './sample-makespans';
import { defaultSpread, minSpreadSamples, modelSpread, sigmaFromPercentiles } from './spread';

/** A model with no round trip and free prefill: a call is first token + output / speed. */
function profile(id: string, firstMs: number, speed: number): ModelProfile {
  const { rateLimits: _limits, ...base } = mercury2;
  return {
    ...base,
    id,
    timeToFirstTokenMs: firstMs,
    outputTokensPerSecond: speed,
    roundTripMs: 0,
    prefillTokensPerSecond: 1e12,
  };
}
const input = z.object({});

describe('the spread of a step option', () => {
  it('reads σ from two percentiles of a log-normal: ln(p90 / p50) / 1.2816', () => {
    expect(sigmaFromPercentiles({ p50: 1000, p90: 2000 })).toBeCloseTo(Math.LN2 / 1.2815516, 6);
    expect(sigmaFromPercentiles({ p50: 1000, p90: 1000 })).toBe(0);
    expect(sigmaFromPercentiles({ p50: Number.NaN, p90: 1000 })).toBeNaN();
    expect(sigmaFromPercentiles({ p50: 1000, p90: 900 })).toBeNaN();
  });

  it('uses the default until enough calls were measured, then the learned one', () => {
    const history = createMemoryEstimateStore();
    const record = (i: number) =>
      history.recordCall!({
        model: 'm',
        status: 'ok',
        timeToFirstTokenMs: i % 2 === 0 ? 1000 : 3000,
        outputTokensPerSecond: 100,
      });
    for (let i = 0; i < minSpreadSamples - 1; i++) record(i);
    expect(modelSpread(history, 'm')).toEqual({ ...defaultSpread, learned: false });
    record(minSpreadSamples);
    const learned = modelSpread(history, 'm');
    // Half the calls at 1 s, half at 3 s: p50 1 s (faded weights put the newest, a 1 s call,
    // last), p90 3 s; every speed the same: σ 0.
    expect(learned.learned).toBe(true);
    expect(learned.firstToken).toBeCloseTo(Math.log(3) / 1.2815516, 6);
    expect(learned.speed).toBe(0);
  });

  it('counts successful calls only: 19 failures and one answer are no σ of 0', () => {
    const history = createMemoryEstimateStore();
    for (let i = 0; i < minSpreadSamples - 1; i++)
      history.recordCall!({ model: 'm', status: 'error' });
    history.recordCall!({
      model: 'm',
      status: 'ok',
      timeToFirstTokenMs: 300,
      outputTokensPerSecond: 700,
    });
    expect(modelSpread(history, 'm')).toEqual({ ...defaultSpread, learned: false });
  });
});

describe('sampled makespans', () => {
  // One step on a model of 1,000 ms first token and 100 tokens at 100 tok/s: 2,000 ms, half
  // first token and half decode. Default spreads: σ = sqrt((0.5 x 0.5)^2 + (0.5 x 0.15)^2).
  const pool = createEmulatedPool({ profiles: [profile('one', 1000, 100)] });
  const single = chain('single', { input }).step(
    'a',
    llm({ prompt: 'x', expect: { inputTokens: 1, outputTokens: 100 } }),
  ).definition;
  const sigma = Math.hypot(0.5 * 0.5, 0.5 * 0.15);

  it('match the log-normal quantiles of a single step in closed form, within 5%', () => {
    const plan = planChain({ chain: single, pool });
    expect(plan.durationMs).toBeCloseTo(2000, 6);
    const { p50, p90, p99 } = plan.durationPercentiles;
    // 2,000 e^(z σ): z(0.5) = 0, z(0.9) = 1.2816, z(0.99) = 2.3263.
    expect(p50 / 2000).toBeCloseTo(1, 1);
    expect(Math.abs(p90 / (2000 * Math.exp(1.2815516 * sigma)) - 1)).toBeLessThan(0.05);
    expect(Math.abs(p99 / (2000 * Math.exp(2.3263479 * sigma)) - 1)).toBeLessThan(0.08);
  });

  it('shrink a map over its waves: 16 items at concurrency 4 are 4 draws, σ / 2', () => {
    const map = chain('map', { input }).map(
      'items',
      () => Array.from({ length: 16 }, (_, i) => String(i)),
      llm({ prompt: (item: string) => item, expect: { inputTokens: 1, outputTokens: 100 } }),
      { concurrency: 4, expect: { items: 16 } },
    ).definition;
    const plan = planChain({ chain: map, pool });
    expect(plan.durationMs).toBeCloseTo(8000, 6);
    const { p90 } = plan.durationPercentiles;
    expect(Math.abs(p90 / (8000 * Math.exp(1.2815516 * (sigma / 2))) - 1)).toBeLessThan(0.05);
  });

  it('are the same for the same plan (seeded) and compare plans on common draws', () => {
    const problem = buildProblem({ chain: single, pool });
    const choice = uniformChoice(problem.options, 'fastest');
    const first = sampleMakespans(problem, choice);
    expect(sampleMakespans(problem, choice)).toEqual(first);
    expect(first.length).toBe(sampleCount(1));
    // Sorted, and the quantile helpers agree with each other.
    for (let i = 1; i < first.length; i++) expect(first[i]!).toBeGreaterThanOrEqual(first[i - 1]!);
    const p90 = quantileOf(first, 0.9);
    expect(shareWithin(first, p90)).toBeGreaterThanOrEqual(0.9);
    expect(shareWithin(first, p90 - 1e-9)).toBeLessThan(0.9);
  });

  it('draw the same stream whether the draws are kept or made as the sampling goes', () => {
    const problem = buildProblem({ chain: single, pool });
    const choice = uniformChoice(problem.options, 'fastest');
    // One step: sample s reads draw s. 2^18 draws are kept per process; 300,000 are not.
    const kept = sampleMakespans(problem, choice, 200_000);
    const made = sampleMakespans(problem, choice, 300_000);
    const counts = new Map<number, number>();
    for (const value of made) counts.set(value, (counts.get(value) ?? 0) + 1);
    let missing = 0;
    for (const value of kept) {
      const left = counts.get(value) ?? 0;
      if (left === 0) missing++;
      else counts.set(value, left - 1);
    }
    // The kept run's samples are the first 200,000 of the made run's, value for value.
    expect(missing).toBe(0);
    expect(new Set(kept).size).toBeGreaterThan(100_000);
  });

  it('sample fewer runs for long chains so that one evaluation stays bounded', () => {
    expect(sampleCount(1)).toBe(1000);
    expect(sampleCount(1000)).toBe(200);
    expect(sampleCount(100_000)).toBe(200);
  });
});
