import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekV4Flash } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { predictCall } from '../scheduler/predict';
import { createRuntime } from './runtime';

describe('a fan-out under a requests-per-minute limit', () => {
  it('runs as the plan predicts: a minute’s worth at once, the rest as the bucket refills', async () => {
    const limited = { ...deepseekV4Flash, rateLimits: { requestsPerMinute: 24 } };
    const clock = createVirtualClock();
    const runtime = createRuntime({ models: createEmulatedPool({ profiles: [limited], clock }) });
    const fanOut = chain('fan', { input: z.object({}) }).map(
      'items',
      () => Array.from({ length: 40 }, (_, index) => `item ${index}`),
      llm({ prompt: (item: string) => item, maxOutputTokens: 50, expect: { inputTokens: 10 } }),
      { concurrency: 32, expect: { items: 40 } },
    );
    const planned = runtime.plan(fanOut, {});
    // 24 requests go at once; the other 16 at one per 2.5 s: the last starts after 40 s.
    const call = predictCall(limited, { inputTokens: 10, outputTokens: 45 }).durationMs;
    expect(planned.makespanMs).toBeCloseTo(40_000 + call, 0);
    const { trace } = await runtime.run(fanOut, {});
    expect(Math.abs(trace.wallMs - planned.makespanMs) / planned.makespanMs).toBeLessThan(0.1);
  });
});
