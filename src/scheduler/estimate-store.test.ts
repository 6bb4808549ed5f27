import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { InvalidArgumentError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryEstimateStore, recordStep } from './estimate-store';
import { planChain } from './plan-chain';

const pool = createEmulatedPool({ profiles: [mercury2, deepseekFlash] });
const input = z.object({ topic: z.string() });
const fan = chain('fan', { input })
  .step('a', llm({ prompt: 'x', expect: { inputTokens: 400, outputTokens: 500 } }))
  .map('m', () => [], llm({ prompt: 'y' }), { concurrency: 2, expect: { items: 4 } });
const [a, m] = fan.definition.steps as [any, any];

describe('EstimateStore and recordStep', () => {
  it('averages the first measurements, then follows recent ones', () => {
    const history = createMemoryEstimateStore();
    const key = { chain: 'fan', stepId: 'a', model: 'mercury-2' };
    const measure = (durationMs: number) =>
      recordStep(history, {
        chain: 'fan',
        step: a,
        model: 'mercury-2',
        durationMs,
        inputTokens: 400,
        outputTokens: 100,
      });
    measure(1000);
    measure(2000);
    expect(history.get(key)).toEqual({
      inputTokens: 400,
      outputTokens: 100,
      durationMs: 1500,
      cachedInputTokens: 0,
      samples: 2,
    });
    for (let k = 0; k < 20; k++) measure(3000);
    // Samples 3-5 weigh 1/3, 1/4, 1/5, then each moves it by a fifth of the difference:
    // 3000 - 1500 x 2/3 x 3/4 x 4/5 x 0.8^17 = 2986.5 ms.
    expect(history.get(key)!.durationMs).toBeCloseTo(2986.49, 1);
    expect(history.get({ chain: 'fan', stepId: 'a' })!.samples).toBe(22);
    expect(history.get({ chain: 'other', stepId: 'a' })).toBeUndefined();
  });

  it('stores a map per call and per wave: 4 items at concurrency 2 are 2 waves', () => {
    const history = createMemoryEstimateStore();
    recordStep(history, {
      chain: 'fan',
      step: m,
      model: 'deepseek-flash',
      durationMs: 9000,
      inputTokens: 800,
      outputTokens: 2000,
      items: 4,
    });
    expect(history.get({ chain: 'fan', stepId: 'm', model: 'deepseek-flash' })).toEqual({
      inputTokens: 200,
      outputTokens: 500,
      durationMs: 4500,
      cachedInputTokens: 0,
      samples: 1,
    });
  });

  it("divides a map's duration by the waves of the concurrency it ran at, when given", () => {
    const history = createMemoryEstimateStore();
    // 4 items with room for 1 at a time (the model's limit, under the step's 2): 4 waves.
    recordStep(history, {
      chain: 'fan',
      step: m,
      model: 'deepseek-flash',
      durationMs: 9000,
      inputTokens: 800,
      outputTokens: 2000,
      items: 4,
      concurrency: 1,
    });
    expect(history.get({ chain: 'fan', stepId: 'm' })).toMatchObject({
      outputTokens: 500,
      durationMs: 2250,
    });
  });

  it('learns nothing from a map of no items', () => {
    const history = createMemoryEstimateStore();
    const run = (items: number) =>
      recordStep(history, {
        chain: 'fan',
        step: m,
        model: 'deepseek-flash',
        durationMs: 900 * Math.ceil(items / 2),
        inputTokens: 200 * items,
        outputTokens: 500 * items,
        items,
      });
    run(4);
    run(0);
    expect(history.get({ chain: 'fan', stepId: 'm', model: 'deepseek-flash' })).toEqual({
      inputTokens: 200,
      outputTokens: 500,
      durationMs: 900,
      cachedInputTokens: 0,
      samples: 1,
    });
  });

  it('predictions use the history: tokens for every model, durations for the model measured', () => {
    const history = createMemoryEstimateStore();
    recordStep(history, {
      chain: 'fan',
      step: a,
      model: 'mercury-2',
      durationMs: 5000,
      inputTokens: 400,
      outputTokens: 1009,
    });
    const plan = planChain({ chain: fan.definition, pool, history, objective: 'latency' });
    // mercury-2 as measured; 1,009 output tokens from history instead of the 500 hinted.
    expect(plan.step('a')!.predicted).toMatchObject({ durationMs: 5000, outputTokens: 1009 });
    const cheap = planChain({ chain: fan.definition, pool, history, objective: 'cost' });
    // deepseek: 120 + 1500 + 400/8 + 1009/0.09 = 12,881.1 ms, predicted from the measured tokens.
    expect(cheap.step('a')!.predicted.durationMs).toBeCloseTo(12_881.11, 1);
  });
});

describe('model call distributions', () => {
  it('gives p50, p90 and p99 of first token and speed, recent calls weighing more', () => {
    const history = createMemoryEstimateStore();
    // 100 calls: first tokens 1..100 ms, speeds 10..1000 tok/s, one 429 in ten.
    for (let k = 1; k <= 100; k++) {
      history.recordCall!({
        model: 'm',
        status: 'ok',
        timeToFirstTokenMs: k,
        outputTokensPerSecond: k * 10,
      });
      if (k % 10 === 0) history.recordCall!({ model: 'm', status: 'rate-limited' });
    }
    const stats = history.modelStats!('m')!;
    expect(stats.samples).toBe(110);
    // Later (larger) samples weigh more, so the faded median sits above the plain one (50.5).
    expect(stats.timeToFirstTokenMs.p50).toBeGreaterThan(55);
    expect(stats.timeToFirstTokenMs.p50).toBeLessThan(75);
    expect(stats.timeToFirstTokenMs.p90).toBeGreaterThan(stats.timeToFirstTokenMs.p50);
    expect(stats.timeToFirstTokenMs.p99).toBeGreaterThanOrEqual(stats.timeToFirstTokenMs.p90);
    expect(stats.outputTokensPerSecond.p50).toBe(stats.timeToFirstTokenMs.p50 * 10);
    expect(stats.rateLimitedRate).toBeCloseTo(stats.errorRate, 12);
    expect(stats.rateLimitedRate).toBeGreaterThan(0.07);
    expect(stats.rateLimitedRate).toBeLessThan(0.11);
    expect(history.modelStats!('other')).toBeUndefined();
  });

  it('plans with the learned speed once a model has five calls', () => {
    const history = createMemoryEstimateStore();
    const plan = () => planChain({ chain: fan.definition, pool, history }).step('a')!;
    const before = plan().predicted.durationMs;
    for (let k = 0; k < 5; k++) {
      history.recordCall!({
        model: 'mercury-2',
        status: 'ok',
        timeToFirstTokenMs: 560,
        outputTokensPerSecond: 250,
      });
    }
    // 60 round trip + 500 first token + 400/40 prefill + 500 tokens / 250 tok/s = 2,570 ms.
    expect(before).toBeCloseTo(60 + 500 + 10 + (500 / 750) * 1000, 6);
    expect(plan().predicted.durationMs).toBeCloseTo(2_570, 6);
  });

  it('moves its version when a figure moves by more than 2%, not on every run', () => {
    const history = createMemoryEstimateStore();
    const measure = (durationMs: number, outputTokens = 100) =>
      recordStep(history, {
        chain: 'fan',
        step: a,
        model: 'mercury-2',
        durationMs,
        inputTokens: 400,
        outputTokens,
      });
    const start = history.version!();
    measure(1000);
    const learned = history.version!();
    expect(learned).toBeGreaterThan(start);
    // The same again: the mean stays put, nothing a plan reads changed.
    for (let k = 0; k < 10; k++) measure(1000);
    expect(history.version!()).toBe(learned);
    // 1% slower each run: each change alone is small, but they add up against the figure the
    // last version showed, so the version moves once the estimate is 2% away from it.
    let runs = 0;
    while (history.version!() === learned) {
      measure(1000 + ++runs * 10);
      expect(runs).toBeLessThan(10);
    }
    expect(
      history.get({ chain: 'fan', stepId: 'a', model: 'mercury-2' })!.durationMs,
    ).toBeGreaterThan(1020);
    // Calls: each of a model's first five counts (plans switch to learned speeds at five), then
    // repeats of the same figures do not.
    const call = () =>
      history.recordCall!({
        model: 'mercury-2',
        status: 'ok',
        timeToFirstTokenMs: 500,
        outputTokensPerSecond: 700,
      });
    let seen = history.version!();
    for (let k = 1; k <= 5; k++) {
      call();
      expect(history.version!()).toBeGreaterThan(seen);
      seen = history.version!();
    }
    // Then only the 20th, where plans switch from the default spread to the learned one.
    const moves: number[] = [];
    for (let k = 6; k <= 55; k++) {
      call();
      if (history.version!() !== seen) moves.push(k);
      seen = history.version!();
    }
    expect(moves).toEqual([20]);
    history.recordCall!({ model: 'mercury-2', status: 'error' });
    for (let k = 0; k < 3; k++) history.recordCall!({ model: 'mercury-2', status: 'error' });
    // Four failures in 59 calls: the error rate moved by far more than half a percent.
    expect(history.version!()).toBeGreaterThan(seen);
  });
});

describe('the version of learned call figures', () => {
  it('moves at the 5 and 20 calls that measured a first token, not at 5 and 20 calls kept', () => {
    const history = createMemoryEstimateStore();
    // Calls that measured nothing (as a failed one measures nothing), at an error rate that
    // stays 0: only the counts of measured calls can move the version.
    for (let k = 0; k < 30; k++) history.recordCall!({ model: 'mercury-2', status: 'ok' });
    let seen = history.version!();
    const moves: number[] = [];
    for (let k = 1; k <= 30; k++) {
      history.recordCall!({
        model: 'mercury-2',
        status: 'ok',
        timeToFirstTokenMs: 500,
        outputTokensPerSecond: 700,
      });
      if (history.version!() !== seen) moves.push(k);
      seen = history.version!();
    }
    // Plans learn the medians at 5 and the spreads at 20.
    expect(moves).toEqual([1, 2, 3, 4, 5, 20]);
  });
});

describe('recordStep argument checks', () => {
  const good = {
    chain: 'fan',
    step: a,
    model: 'mercury-2',
    durationMs: 1000,
    inputTokens: 400,
    outputTokens: 100,
  };

  it.each([
    [
      { durationMs: Number.NaN },
      'Expected `durationMs` to be a number from 0 up, got `NaN` (number)',
    ],
    [{ durationMs: '5000' }, 'Expected `durationMs` to be a number from 0 up, got `5000` (string)'],
    [
      { outputTokens: -500 },
      'Expected `outputTokens` to be a number from 0 up, got `-500` (number)',
    ],
    [
      { inputTokens: undefined },
      'Expected `inputTokens` to be a number from 0 up, got `undefined` (undefined)',
    ],
    [
      { inputTokens: Number.POSITIVE_INFINITY },
      '`inputTokens` to be a number from 0 up, got `Infinity`',
    ],
    [{ cachedInputTokens: -1 }, 'Expected `cachedInputTokens` to be a number from 0 up, got `-1`'],
    [{ items: Number.NaN }, 'Expected `items` to be a whole number from 0 up, got `NaN` (number)'],
    [{ items: 0.5 }, 'Expected `items` to be a whole number from 0 up, got `0.5` (number)'],
    [{ concurrency: 0 }, 'Expected `concurrency` to be a whole number from 1 up, got `0` (number)'],
    [{ concurrency: 1.5 }, 'Expected `concurrency` to be a whole number from 1 up, got `1.5`'],
    [
      { step: 'a' },
      'Expected `step` to be a step node (one of `chain.definition.steps`), got `a` (string)',
    ],
    [{ chain: undefined }, 'Expected `chain` to be a string, got `undefined`'],
    [{ model: 7 }, 'Expected `model` to be a string, got `7` (number)'],
  ])('refuses %j, naming the field, and keeps nothing', (bad, message) => {
    const history = createMemoryEstimateStore();
    const record = () => recordStep(history, { ...good, ...bad } as never);
    expect(record).toThrow(InvalidArgumentError);
    expect(record).toThrow(message);
    expect(history.get({ chain: 'fan', stepId: 'a' })).toBeUndefined();
  });

  it('takes the optional figures when given, and a map of no items without learning from it', () => {
    const history = createMemoryEstimateStore();
    recordStep(history, { ...good, cachedInputTokens: 0, items: 1 });
    recordStep(history, { ...good, step: m, items: 2, concurrency: 2 });
    recordStep(history, { ...good, step: m, items: 0, inputTokens: 0, outputTokens: 0 });
    expect(history.get({ chain: 'fan', stepId: 'a' })?.samples).toBe(1);
    expect(history.get({ chain: 'fan', stepId: 'm' })?.samples).toBe(1);
  });
});
