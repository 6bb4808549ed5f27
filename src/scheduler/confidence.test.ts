import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { InvalidArgumentError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import type { ModelProfile } from '../models/profile';
import { createMemoryEstimateStore } from './estimate-store';
import { planChain } from './plan-chain';
import { replanChain } from './replan-chain';
import { defaultSpread } from './spread';

/*
 * Two models with round numbers (no round trip, prefill free, no limits):
 *   fast:  200 ms first token + 100 tokens at 1,000 tok/s = 300 ms, $10 / M out: $0.001 a call
 *   cheap: 1,000 ms first token + 100 tokens at 100 tok/s = 2,000 ms, $1 / M out: $0.0001
 * With the default spreads (first token σ 0.5, speed σ 0.15), weighted by their share of the call:
 *   cheap σ = sqrt((0.5 x 0.5)^2 + (0.5 x 0.15)^2)     = 0.2610
 *   fast  σ = sqrt((2/3 x 0.5)^2 + (1/3 x 0.15)^2)     = 0.3371
 * Two cheap steps in a row: median makespan 4,000 ms; each step's mean 2,000 e^(σ²/2) = 2,069 ms
 * and sd 2,069 sqrt(e^(σ²) - 1) = 549 ms, so the sum's p90 is about 4,139 + 1.28 x 777 = 5,135 ms
 * (a normal approximation; the log-normals' right tail puts it a little higher). A deadline of
 * 4,200 ms: the medians meet it on the cheap model, the p90 does not. One step fast: median
 * 2,300 ms, p90 well under 4,200 ms, at $0.0011 against $0.0002.
 */
function profile(id: string, firstMs: number, speed: number, outPerM: number): ModelProfile {
  const { rateLimits: _limits, ...base } = mercury2;
  return {
    ...base,
    id,
    name: id,
    timeToFirstTokenMs: firstMs,
    outputTokensPerSecond: speed,
    roundTripMs: 0,
    prefillTokensPerSecond: 1e12,
    pricing: { inputPerMTok: 0, cachedInputPerMTok: 0, outputPerMTok: outPerM },
  };
}
const pool = createEmulatedPool({
  profiles: [profile('fast', 200, 1000, 10), profile('cheap', 1000, 100, 1)],
});
const sized = () => llm({ prompt: 'x', expect: { inputTokens: 1, outputTokens: 100 } });
const twoSteps = chain('two', { input: z.object({}) })
  .step('a', sized())
  .step('b', sized()).definition;

describe('{ deadlineMs, confidence }', () => {
  const plain = planChain({ chain: twoSteps, pool, objective: { deadlineMs: 4200 } });
  const sure = planChain({
    chain: twoSteps,
    pool,
    objective: { deadlineMs: 4200, confidence: 0.9 },
  });

  it('plain: both steps cheap, the medians meet 4.2 s but the sampled p90 does not', () => {
    expect(plain.steps.map((step) => step.model)).toEqual(['cheap', 'cheap']);
    expect(plain.durationMs).toBeCloseTo(4000, 6);
    expect(plain.confidence).toBeUndefined();
    const { p50, p90 } = plain.durationPercentiles;
    expect(p50).toBeGreaterThan(3850);
    expect(p50).toBeLessThan(4250);
    // About 5,135 ms by the normal approximation above.
    expect(p90).toBeGreaterThan(4900);
    expect(p90).toBeLessThan(5600);
  });

  it('confidence 0.9: one step moves to the fast model, the least that brings the p90 in', () => {
    expect(sure.steps.map((step) => step.model).sort()).toEqual(['cheap', 'fast']);
    expect(sure.durationMs).toBeCloseTo(2300, 6);
    expect(sure.costUsd).toBeCloseTo(0.0011, 12);
    expect(sure.warnings).toEqual([]);
    expect(sure.confidence!.confidence).toBe(0.9);
    expect(sure.confidence!.durationMs).toBeLessThanOrEqual(4200);
    expect(sure.confidence!.likelihood).toBeGreaterThanOrEqual(0.9);
    expect(sure.durationPercentiles.p90).toBeCloseTo(sure.confidence!.durationMs, 6);
  });

  it('explains the percentiles and the confidence in words', () => {
    const text = sure.explain().replace(/\s+/g, ' ');
    expect(text).toContain('(deadline 4.20 s at 90% confidence, exact)');
    expect(text).toMatch(
      /makespan p50 2\.\d\d s, p90 [23]\.\d\d s, p99 \d\.\d\d s \(sampled\); deadline 4\.20 s met with 90% confidence \(in (9\d|100)(\.\d)?% of sampled runs; medians planned to \d\.\d\d s\)/,
    );
    // A plan without a confidence or learned spreads keeps its explain() as it was.
    expect(plain.explain()).not.toContain('makespan p50');
  });

  it('is deterministic: the same plan gives the same figures', () => {
    const again = planChain({
      chain: twoSteps,
      pool,
      objective: { deadlineMs: 4200, confidence: 0.9 },
    });
    expect(again.durationPercentiles).toEqual(sure.durationPercentiles);
    expect(again.confidence).toEqual(sure.confidence);
    expect(again.steps.map((step) => step.model)).toEqual(sure.steps.map((step) => step.model));
  });

  it('a loose deadline: the plain plan already fits and is the answer', () => {
    const loose = planChain({
      chain: twoSteps,
      pool,
      objective: { deadlineMs: 8000, confidence: 0.9 },
    });
    expect(loose.steps.map((step) => step.model)).toEqual(['cheap', 'cheap']);
    expect(loose.confidence!.plannedDeadlineMs).toBe(8000);
  });

  it('warns when not even the fastest plan meets the deadline at that confidence', () => {
    // All fast: 600 ms median, fits the median of 700 ms but not its p99.
    const tight = planChain({
      chain: twoSteps,
      pool,
      objective: { deadlineMs: 700, confidence: 0.99 },
    });
    expect(tight.steps.map((step) => step.model)).toEqual(['fast', 'fast']);
    expect(tight.warnings).toHaveLength(1);
    expect(tight.warnings[0]).toMatch(
      /^no plan meets the deadline of 0\.7 s with 99% confidence: the fastest plan tried takes \d\.\d s at its 99th percentile$/,
    );
    expect(tight.explain().replace(/\s+/g, ' ')).toContain(
      'deadline 0.70 s not met with 99% confidence',
    );
  });

  it.each([0, 1, 1.5, -0.2, Number.NaN, '0.9', null])('rejects confidence %s', (confidence) => {
    const plan = () =>
      planChain({
        chain: twoSteps,
        pool,
        objective: { deadlineMs: 4200, confidence: confidence as number },
      });
    expect(plan).toThrow(InvalidArgumentError);
    expect(plan).toThrow(
      `Expected \`objective.confidence\` to be a probability above 0 and below 1 (such as 0.9), got \`${String(confidence)}\` (${typeof confidence})`,
    );
  });

  it('re-plans mid-run for the time left, at the same confidence', () => {
    // `a` ran cheap and took its median, 2,000 ms: 2,200 ms are left for `b`. Cheap `b` meets
    // that with its median (2,000 ms) but its p90 is 2,000 e^(1.2816 x 0.2610) = 2,795 ms.
    const progress = {
      nowMs: 2000,
      done: new Map([['a', { startMs: 0, endMs: 2000, model: 'cheap', costUsd: 0.0001 }]]),
      running: new Map(),
    };
    const median = replanChain({
      chain: twoSteps,
      pool,
      objective: { deadlineMs: 4200 },
      previous: plain,
      progress,
    });
    expect(median.plan.step('b')!.model).toBe('cheap');
    const { plan } = replanChain({
      chain: twoSteps,
      pool,
      objective: { deadlineMs: 4200, confidence: 0.9 },
      previous: plain,
      progress,
    });
    expect(plan.step('b')!.model).toBe('fast');
    expect(plan.confidence!.durationMs).toBeLessThanOrEqual(4200);
    // The done step is measured, not sampled: the makespan spread is b's alone.
    expect(plan.durationPercentiles.p50).toBeGreaterThan(2250);
    expect(plan.durationPercentiles.p50).toBeLessThan(2350);
  });

  it('for a streamed run, applies to the first answer token, as the deadline does', () => {
    // `b` streams the answer: the objective counts `a` (2,000 ms cheap) and b's first token
    // (1,000 ms cheap, σ 0.5: p90 1,898 ms). Medians meet 3.2 s all cheap; the p90 does not.
    const answer = { stepId: 'b', readingTokensPerSecond: 1 };
    const median = planChain({ chain: twoSteps, pool, answer, objective: { deadlineMs: 3200 } });
    expect(median.steps.map((step) => step.model)).toEqual(['cheap', 'cheap']);
    const sure = planChain({
      chain: twoSteps,
      pool,
      answer,
      objective: { deadlineMs: 3200, confidence: 0.9 },
    });
    expect(sure.steps.map((step) => step.model)).not.toEqual(['cheap', 'cheap']);
    expect(sure.answer!.firstTokenMs).toBeLessThan(3200);
    expect(sure.confidence!.durationMs).toBeLessThanOrEqual(3200);
  });

  it('learned spreads replace the default once enough calls were measured', () => {
    // Cheap first tokens measured tight (900-1,100 ms): the cheap plan's p90 comes in.
    const history = createMemoryEstimateStore();
    for (let i = 0; i < 40; i++) {
      history.recordCall!({
        model: 'cheap',
        status: 'ok',
        timeToFirstTokenMs: 900 + (i % 5) * 50,
        outputTokensPerSecond: 100,
      });
    }
    const learned = planChain({
      chain: twoSteps,
      pool,
      history,
      objective: { deadlineMs: 4200, confidence: 0.9 },
    });
    expect(learned.steps.map((step) => step.model)).toEqual(['cheap', 'cheap']);
    expect(learned.confidence!.durationMs).toBeLessThanOrEqual(4200);
    expect(learned.explain()).toContain('makespan p50');
    expect(defaultSpread.firstToken).toBe(0.5);
    // Any plan on models with learned spreads shows its percentiles, without a verdict.
    const plain = planChain({ chain: twoSteps, pool, history, objective: 'cost' }).explain();
    expect(plain).toMatch(/makespan p50 \d\.\d\d s, p90 \d\.\d\d s, p99 \d\.\d\d s \(sampled\)\n/);
    expect(plain).not.toContain('confidence');
  });
});

describe('confidence with deferral into a cheaper window', () => {
  const deferPool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
  const mapChain = chain('batch', { input: z.object({}) }).map(
    'items',
    () => Array.from({ length: 8 }, (_, i) => String(i)),
    llm({ prompt: (item: string) => item, expect: { inputTokens: 400, outputTokens: 300 } }),
    { concurrency: 4 },
  ).definition;
  const hour = 3_600_000;
  const startAt = Date.parse('2026-12-02T02:00:00Z'); // Wednesday, DeepSeek peak until 04:00

  it('waits for off-peak when the deferred plan meets the deadline at that confidence', () => {
    const plan = planChain({
      chain: mapChain,
      pool: deferPool,
      startAt,
      objective: { deadlineMs: 12 * hour, confidence: 0.9 },
    });
    expect(plan.deferred).toBeDefined();
    expect(plan.deferred!.delayMs).toBe(2 * hour);
    expect(plan.confidence!.durationMs).toBeLessThanOrEqual(12 * hour);
  });

  it('starts now when waiting would leave the sampled p90 past the deadline', () => {
    // Median plan after the 2 h wait ends just inside the deadline: its tail does not fit.
    const offPeak = startAt + 2 * hour;
    const base = planChain({
      chain: mapChain,
      pool: deferPool,
      startAt: offPeak,
      objective: 'cost',
    });
    const deadlineMs = 2 * hour + base.durationMs * 1.02;
    const plain = planChain({
      chain: mapChain,
      pool: deferPool,
      startAt,
      objective: { deadlineMs },
    });
    expect(plain.deferred).toBeDefined();
    const sure = planChain({
      chain: mapChain,
      pool: deferPool,
      startAt,
      objective: { deadlineMs, confidence: 0.9 },
    });
    expect(sure.deferred).toBeUndefined();
    expect(sure.confidence!.durationMs).toBeLessThanOrEqual(deadlineMs);
  });
});
