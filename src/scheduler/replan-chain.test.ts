import { describe, expect, it } from 'vitest';
import { createEmulatedPool } from '../models/emulated-pool';
import type { Objective, Plan } from './plan';
import { planChain } from './plan-chain';
import { type DoneStep, replanChain } from './replan-chain';
import { firstVersionProfiles, tenSteps } from './test-chains';

// Mercury 2 at 1,009 tok/s and DeepSeek Flash at $0.14 / $0.28, as the numbers below assume.
const pool = createEmulatedPool({ profiles: firstVersionProfiles });
const fastMs = 1_065.54; // one step on mercury-2: 60 + 500 + 400/40 + 500/1.009
const cheapMs = 7_225.56; // one step on deepseek-flash

/** The first `count` steps done in order on their planned models, each `slowdown` times slower. */
function slowStart(previous: Plan, count: number, slowdown: number) {
  const done = new Map<string, DoneStep>();
  let nowMs = 0;
  for (const step of previous.steps.slice(0, count)) {
    const endMs = nowMs + step.predicted.durationMs * slowdown;
    done.set(step.stepId, {
      startMs: nowMs,
      endMs,
      model: step.model,
      costUsd: step.predicted.costUsd,
    });
    nowMs = endMs;
  }
  return { nowMs, done, running: new Map() };
}

describe('replanChain', () => {
  const chain = tenSteps();
  const objective: Objective = { deadlineMs: 30_000 };
  const previous = planChain({ chain, pool, objective });

  /*
   * Before the run: s1-s7 fast, s8-s10 cheap, 29.14 s (worked-examples.test.ts with these profiles). Then s1-s4 run
   * on mercury-2 three times slower than predicted: 4 x 3 x 1,065.54 = 12,786.5 ms. Time left:
   * 30,000 - 12,786.5 = 17,213.5 ms for six steps; six fast take 6,393.2 ms, and each cheap one
   * adds 6,160.0 ms: floor((17,213.5 - 6,393.2) / 6,160.0) = 1 step may stay cheap, so two of
   * s8-s10 move to mercury-2: 12,786.5 + 5 x 1,065.54 + 7,225.56 = 25,339.8 ms.
   */
  it('upgrades later steps when the first ones come in slower than predicted', () => {
    expect(previous.steps.map((step) => step.lane).join(' ')).toBe(
      'fast fast fast fast fast fast fast cheap cheap cheap',
    );
    const progress = slowStart(previous, 4, 3);
    const { plan, changes } = replanChain({ chain, pool, objective, previous, progress });
    expect(changes).toEqual([
      { stepId: 's8', from: 'deepseek-flash', to: 'mercury-2' },
      { stepId: 's9', from: 'deepseek-flash', to: 'mercury-2' },
    ]);
    expect(plan.durationMs).toBeCloseTo(12_786.48 + 5 * fastMs + cheapMs, 0);
    expect(plan.durationMs).toBeLessThanOrEqual(30_000);
    expect(plan.warnings).toEqual([]);
    expect(plan.nowMs).toBeCloseTo(12_786.48, 1);
    expect(plan.step('s4')).toMatchObject({ state: 'done', reason: 'done on mercury-2' });
    expect(plan.step('s5')!.predicted.startMs).toBeCloseTo(12_786.48, 1);
    expect(plan.step('s9')!.reason).toMatch(/less than the [\d.]+ s deepseek-flash would add/);
    expect(plan.explain()).toContain('plan for ten (deadline 30.00 s, exact) at 12.79 s:');
  });

  it('changes nothing when the run is on time', () => {
    const progress = slowStart(previous, 4, 1);
    const { plan, changes } = replanChain({ chain, pool, objective, previous, progress });
    expect(changes).toEqual([]);
    expect(plan.durationMs).toBeCloseTo(previous.durationMs, 6);
  });

  it('downgrades when the run gets ahead: four steps in half the time free one more', () => {
    // s1-s6 done in 600 ms instead of 6,393.2: 29,400 ms left for four steps; four fast take
    // 4,262.2, so floor((29,400 - 4,262.2) / 6,160.0) = 4 may go cheap: s7 joins s8-s10.
    const progress = slowStart(previous, 6, 600 / (6 * fastMs));
    const { plan, changes } = replanChain({ chain, pool, objective, previous, progress });
    expect(changes).toEqual([{ stepId: 's7', from: 'mercury-2', to: 'deepseek-flash' }]);
    expect(plan.durationMs).toBeCloseTo(600 + 4 * cheapMs, 0);
  });

  it('keeps a running step on its model and never predicts it ending before now', () => {
    const progress = {
      nowMs: 5_000,
      done: new Map(),
      running: new Map([['s1', { startMs: 0, model: 'mercury-2' }]]),
    };
    const { plan } = replanChain({ chain, pool, objective, previous, progress });
    expect(plan.step('s1')).toMatchObject({ state: 'running', model: 'mercury-2' });
    expect(plan.step('s1')!.predicted.endMs).toBe(5_000);
    expect(plan.step('s2')!.predicted.startMs).toBe(5_000);
  });

  it('counts the money spent against a budget', () => {
    const budget: Objective = { budgetUsd: 0.004 };
    const before = planChain({ chain, pool, objective: budget });
    // s1 cost far more than predicted: $0.001 instead of $0.000475 leaves less for speed.
    const done = new Map([
      ['s1', { startMs: 0, endMs: fastMs, model: 'mercury-2', costUsd: 0.001 }],
    ]);
    const progress = { nowMs: fastMs, done, running: new Map() };
    const { plan, changes } = replanChain({
      chain,
      pool,
      objective: budget,
      previous: before,
      progress,
    });
    expect(plan.costUsd).toBeLessThanOrEqual(0.004 + 1e-12);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((change) => change.to === 'deepseek-flash')).toBe(true);
  });

  it('rejects progress about steps the chain does not have', () => {
    const progress = { nowMs: 1, done: new Map(), running: new Map([['nope', { startMs: 0 }]]) };
    expect(() => replanChain({ chain, pool, objective, previous, progress })).toThrow(
      'Chain `ten` has no step `nope` (in `progress`)',
    );
  });
});
