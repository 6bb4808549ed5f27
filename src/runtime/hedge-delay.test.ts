import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from '../../test/helpers/scripted-model';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import { createMemoryEstimateStore } from '../scheduler/estimate-store';
import type { StepHedgeEvent } from '../tracing/events';
import { createRuntime, type RuntimeOptions } from './runtime';

const one = chain('one', { input: z.object({ q: z.string() }) })
  .step('answer', llm({ prompt: 'hi' }))
  .returns(({ answer }) => answer.text);

/** `fast` stalls before its first token; the hedge on `cheap` answers 100 ms after it starts. */
async function hedgeStartMs(
  firstTokens: readonly number[],
  options: Partial<RuntimeOptions> = {},
  failures = 0,
) {
  const clock = createVirtualClock();
  const pool = createModelPool(
    [
      defineModel(scriptedModel('fast', clock, [{ type: 'stall' }]), { ...mercury2, id: 'fast' }),
      defineModel(scriptedModel('cheap', clock, [{ type: 'ok', ttftMs: 100 }]), {
        ...deepseekFlash,
        id: 'cheap',
      }),
    ],
    { clock },
  );
  const history = createMemoryEstimateStore();
  for (let i = 0; i < failures; i++) history.recordCall!({ model: 'fast', status: 'error' });
  for (const ms of firstTokens) {
    history.recordCall!({
      model: 'fast',
      status: 'ok',
      timeToFirstTokenMs: ms,
      outputTokensPerSecond: 750,
    });
  }
  const runtime = createRuntime({ models: pool, history, ...options });
  const hedges: StepHedgeEvent[] = [];
  runtime.on('step:hedge', (event) => hedges.push(event));
  const { output } = await runtime.run(one, { q: 'x' });
  expect(output).toBe('hello from cheap');
  expect(hedges[0]).toMatchObject({ outcome: 'started', primary: 'fast', hedge: 'cheap' });
  return hedges[0]!.atMs;
}

/** 30 measured first tokens: 24 at 500 ms and every fifth at 2,500 ms (a p90 of 2,500 ms). */
const heavyTailed = Array.from({ length: 30 }, (_, i) => (i % 5 === 4 ? 2500 : 500));

describe('the hedge waits for the learned high-percentile first token', () => {
  it('guesses from the profile before anything was measured: 60 + 1.5 x 500 + prefill', async () => {
    expect(await hedgeStartMs([])).toBeCloseTo(810.2, 0);
  });

  it('keeps the guess until 20 calls were measured', async () => {
    // Four calls: too few for the plan's learned medians (5) and for a p90 (20).
    expect(await hedgeStartMs([2500, 2500, 2500, 2500])).toBeCloseTo(810.2, 0);
  });

  it('counts only the calls that measured a first token: failed ones keep the guess', async () => {
    // 19 failures and one steady answer would otherwise make a "p90" of that one call.
    expect(await hedgeStartMs([300], {}, 19)).toBeCloseTo(810.2, 0);
  });

  it('waits longer for a model whose learned first tokens are heavy-tailed: its p90, 2.5 s', async () => {
    // The median guess would be 60 + 1.5 x (500 - 60) + prefill = 720 ms: far too eager.
    expect(await hedgeStartMs(heavyTailed)).toBeCloseTo(2500, 0);
  });

  it('hedges earlier for a model whose learned first tokens are steady: its p90, 300 ms', async () => {
    expect(await hedgeStartMs(Array.from({ length: 25 }, () => 300))).toBeCloseTo(300, 0);
  });

  it('an explicit hedge.afterMs still wins', async () => {
    expect(await hedgeStartMs(heavyTailed, { hedge: { afterMs: 1234 } })).toBeCloseTo(1234, 0);
  });
});
