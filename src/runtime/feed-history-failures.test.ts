import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryEstimateStore } from '../scheduler/estimate-store';
import { createRuntime } from './runtime';

/** Every deepseek-flash call is a 500; two attempts a model. */
function failingFlash(fault: 'server-error' | 'rate-limit' = 'server-error') {
  const clock = createVirtualClock();
  const pool = createEmulatedPool({
    profiles: [deepseekFlash, mercury2],
    clock,
    faults: [
      {
        fault:
          fault === 'rate-limit' ? { kind: 'rate-limit', retryAfterSeconds: 0 } : { kind: fault },
        model: 'deepseek-flash',
      },
    ],
  });
  const history = createMemoryEstimateStore();
  const runtime = createRuntime({
    models: pool,
    history,
    hedge: false,
    clock,
    retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
  });
  return { pool, history, runtime };
}

const step = (models: string[]) =>
  chain('one', { input: z.object({}) }).step('a', llm({ prompt: 'Say hi', models, lane: 'cheap' }));

describe('the history of failed calls', () => {
  it('counts every failed call once: retried and given up by a fallback', async () => {
    const { pool, history, runtime } = failingFlash();
    for (let run = 0; run < 3; run++) await runtime.run(step(['deepseek-flash', 'mercury-2']), {});
    const fellBack = pool.stats().models['deepseek-flash']!.requests;
    expect(history.modelStats!('deepseek-flash')).toMatchObject({
      samples: fellBack,
      errorRate: 1,
      rateLimitedRate: 0,
      measured: { timeToFirstTokenMs: 0, outputTokensPerSecond: 0 },
    });
    expect(history.modelStats!('deepseek-flash')!.timeToFirstTokenMs.p50).toBeNaN();
    expect(history.modelStats!('mercury-2')).toMatchObject({ samples: 3, errorRate: 0 });
  });

  it('counts the last attempt of a failed step as well as the retried one', async () => {
    const { pool, history, runtime } = failingFlash();
    await expect(runtime.run(step(['deepseek-flash']), {})).rejects.toThrow();
    expect(pool.stats().models['deepseek-flash']!.requests).toBe(2);
    expect(history.modelStats!('deepseek-flash')).toMatchObject({ samples: 2, errorRate: 1 });
  });

  it('tells 429s apart in every place a call fails', async () => {
    const { pool, history, runtime } = failingFlash('rate-limit');
    await runtime.run(step(['deepseek-flash', 'mercury-2']), {});
    await expect(runtime.run(step(['deepseek-flash']), {})).rejects.toThrow();
    const requests = pool.stats().models['deepseek-flash']!.requests;
    // Two given up by the fallback, two by the step that failed.
    expect(requests).toBe(4);
    expect(history.modelStats!('deepseek-flash')).toMatchObject({
      samples: requests,
      errorRate: 1,
      rateLimitedRate: 1,
    });
  });
});
