import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Script, scriptedModel } from '../../test/helpers/scripted-model';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { BudgetExceededError, RunAbortedError, StepError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import { createRuntime } from './runtime';

const input = z.object({ q: z.string() });
const one = chain('one', { input }).step(
  'answer',
  llm({ prompt: 'hi', lane: 'fast', maxOutputTokens: 100 }),
);

function setup(fast: Script[], cheap: Script[] = [{ type: 'ok' }]) {
  const clock = createVirtualClock();
  const models = {
    fast: scriptedModel('fast', clock, fast),
    cheap: scriptedModel('cheap', clock, cheap),
  };
  const pool = createModelPool(
    [
      defineModel(models.fast, { ...mercury2, id: 'fast' }),
      defineModel(models.cheap, { ...deepseekFlash, id: 'cheap' }),
    ],
    { clock },
  );
  const runtime = createRuntime({
    models: pool,
    hedge: false,
    retry: { maxAttempts: 1 },
    circuitBreaker: { failureThreshold: 1, cooldownMs: 1000 },
    _internal: { random: () => 0.5 },
  });
  return { runtime, models, clock };
}

describe('a half-open circuit', () => {
  it('lets a probe through again when the last probe was aborted', async () => {
    const { runtime, models, clock } = setup([
      { type: 'http', status: 503 },
      { type: 'stall' },
      { type: 'ok' },
    ]);
    expect((await runtime.run(one, { q: 'x' })).trace.steps[0]!.model).toBe('cheap');
    await clock.sleep(2000);
    const controller = new AbortController();
    clock.sleep(500).then(() => controller.abort(new Error('user left')));
    const aborted = await runtime
      .run(one, { q: 'x' }, { signal: controller.signal })
      .catch((caught) => caught);
    expect(RunAbortedError.isInstance(aborted)).toBe(true);
    expect(models.fast.calls).toBe(2);
    const { trace } = await runtime.run(one, { q: 'x' });
    expect(models.fast.calls).toBe(3);
    expect(trace.steps[0]!.model).toBe('fast');
  });

  it('lets a probe through again when the budget refused the last one', async () => {
    const { runtime, models, clock } = setup([{ type: 'http', status: 503 }, { type: 'ok' }]);
    await runtime.run(one, { q: 'x' });
    await clock.sleep(2000);
    const refused = await runtime
      .run(one, { q: 'x' }, { maxCostUsd: 1e-9 })
      .catch((caught) => caught);
    expect(BudgetExceededError.isInstance(refused)).toBe(true);
    expect(models.fast.calls).toBe(1);
    const { trace } = await runtime.run(one, { q: 'x' });
    expect(models.fast.calls).toBe(2);
    expect(trace.steps[0]!.model).toBe('fast');
  });
});

describe('every circuit open', () => {
  it('says so, and when the first circuit lets a probe through', async () => {
    const { runtime, models, clock } = setup(
      [{ type: 'http', status: 503 }],
      [{ type: 'http', status: 503 }],
    );
    await runtime.run(one, { q: 'x' }).catch(() => {});
    expect([models.fast.calls, models.cheap.calls]).toEqual([1, 1]);
    await clock.sleep(300);
    const error = await runtime.run(one, { q: 'x' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    expect([models.fast.calls, models.cheap.calls]).toEqual([1, 1]);
    expect(error.message).toMatch(
      /^Step `answer` of chain `one` failed: the circuit of every candidate is open \(fast, cheap\) after repeated failures; the next probe is let through in 0\.\d s$/,
    );
    expect(error.message).not.toContain('undefined');
  });
});
