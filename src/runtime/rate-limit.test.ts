import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { maxInWindow } from '../../test/contracts/shared-limits';
import { chain, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { deepseekFlash } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import type { ModelProfile } from '../models/profile';
import { predictCall } from '../scheduler/predict';
import type { StepRecord } from '../tracing/records';
import { createRuntime } from './runtime';

const fanOut = (items: number, maxOutputTokens: number) =>
  chain('fan', { input: z.object({}) }).map(
    'items',
    () => Array.from({ length: items }, (_, index) => `item ${index}`),
    llm({ prompt: (item: string) => item, maxOutputTokens, expect: { inputTokens: 10 } }),
    { concurrency: items, expect: { items } },
  );

/** Runs a fan-out on a virtual clock and returns when each item's call started. */
async function callStarts(profile: ModelProfile, items: number, maxOutputTokens = 4) {
  const clock = createVirtualClock();
  const records: StepRecord[] = [];
  const runtime = createRuntime({
    models: createEmulatedPool({ profiles: [profile], clock }),
    onStepEnd: (record) => {
      if (record.item !== undefined) records.push(record);
    },
  });
  const { trace } = await runtime.run(fanOut(items, maxOutputTokens), {});
  const starts = records.map((record) => ({
    at: record.startMs + (record.queueWaitMs ?? 0),
    record,
  }));
  return { starts, trace, runtime };
}

describe('a fan-out under a requests-per-minute limit', () => {
  it('starts at most the limit in any sliding minute (a full bucket let 120 through under 60)', async () => {
    const limited = { ...deepseekFlash, rateLimits: { requestsPerMinute: 60 } };
    // A bucket that starts full and refills at 1 a second lets 60 + 59 start in the first minute.
    const { starts } = await callStarts(limited, 130);
    expect(starts).toHaveLength(130);
    expect(maxInWindow(starts)).toBe(60);
  }, 30_000);

  it('counts output tokens per sliding minute apart from input tokens', async () => {
    // 50 output tokens reserved per call (the step's cap): 1,000 a minute admits 20 calls.
    const limited = {
      ...deepseekFlash,
      rateLimits: { outputTokensPerMinute: 1_000, inputTokensPerMinute: 1_000_000 },
    };
    const { starts } = await callStarts(limited, 30, 50);
    const outputs = starts.map(({ at, record }) => ({ at, amount: record.usage.outputTokens }));
    expect(maxInWindow(outputs)).toBeLessThanOrEqual(1_000);
    expect(maxInWindow(starts)).toBe(20);
    expect(Math.max(...starts.map((start) => start.at))).toBe(60_000);
  }, 30_000);

  it('runs as the plan predicts: a minute’s worth at once, the next a minute later', async () => {
    const limited = { ...deepseekFlash, rateLimits: { requestsPerMinute: 24 } };
    const clock = createVirtualClock();
    const runtime = createRuntime({ models: createEmulatedPool({ profiles: [limited], clock }) });
    const map = chain('fan', { input: z.object({}) }).map(
      'items',
      () => Array.from({ length: 40 }, (_, index) => `item ${index}`),
      llm({ prompt: (item: string) => item, maxOutputTokens: 50, expect: { inputTokens: 10 } }),
      { concurrency: 32, expect: { items: 40 } },
    );
    const planned = runtime.plan(map, {});
    // 24 requests go at once; the other 16 a minute later, when the first 24 leave the window.
    const call = predictCall(limited, { inputTokens: 10, outputTokens: 45 }).durationMs;
    expect(planned.durationMs).toBeCloseTo(60_000 + call, 0);
    const { trace } = await runtime.run(map, {});
    expect(Math.abs(trace.durationMs - planned.durationMs) / planned.durationMs).toBeLessThan(0.1);
  }, 30_000);
});
