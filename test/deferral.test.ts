import {
  chain,
  createRuntime,
  createVirtualClock,
  deepseekFlash,
  formatWaterfall,
  llm,
  mercury2,
  models,
  planChain,
  RunAbortedError,
} from 'hotpath';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { computeCost } from '../src/models/cost';
import { createPaint } from '../src/tracing/format/ansi';
import { LiveRun } from '../src/tracing/format/live-view';

// 2026-12-02 is a Wednesday: DeepSeek's peak runs 01:00-04:00 and 06:00-10:00 UTC, at twice
// the off-peak prices (api-docs.deepseek.com, "Models & Pricing", read 2026-11-15).
const wednesday2am = Date.parse('2026-12-02T02:00:00Z');
const offPeakPricing = { inputPerMTok: 0.15, cachedInputPerMTok: 0.003, outputPerMTok: 0.6 };
const hour = 3_600_000;

const batch = chain('batch', { input: z.object({ rows: z.array(z.string()) }) }).map(
  'extract',
  ({ input }) => input.rows,
  llm({ prompt: (row: string) => `Extract the fields of: ${row}`, maxOutputTokens: 200 }),
  { concurrency: 50 },
);
const rows = Array.from({ length: 200 }, (_, index) => `row ${index} of the export`);
const cheapPool = () => models.emulated({ profiles: [deepseekFlash] });

describe('time for money: a chain deferred into a cheaper window', () => {
  it('waits for 04:00 UTC under a 12-hour deadline at 02:00 on a Wednesday, at half the price', () => {
    const pool = cheapPool();
    const plan = planChain({
      chain: batch.definition,
      pool,
      input: { rows },
      objective: { deadlineMs: 12 * hour },
      startAt: wednesday2am,
    });
    const now = planChain({
      chain: batch.definition,
      pool,
      input: { rows },
      objective: { deadlineMs: 12 * hour, defer: false },
      startAt: wednesday2am,
    });
    expect(now.deferred).toBeUndefined();
    // Peak ends at 04:00: two hours' wait, every call at the off-peak rate (half the peak).
    expect(plan.deferred).toMatchObject({
      delayMs: 2 * hour,
      startsAt: Date.parse('2026-12-02T04:00:00Z'),
      immediateCostUsd: now.costUsd,
    });
    expect(plan.costUsd).toBeCloseTo(now.costUsd / 2, 12);
    expect(plan.deferred!.savedUsd).toBeCloseTo(now.costUsd / 2, 12);
    expect(plan.step('extract')!.predicted.startMs).toBe(2 * hour);
    expect(plan.durationMs).toBeLessThanOrEqual(12 * hour);
    expect(plan.explain()).toContain('deferred: starts in 2 h 00 min, at 04:00 UTC');
    expect(plan.explain()).toContain('saves');
  });

  it('starts at once when the deadline comes before the cheaper window, or the objective is not a deadline', () => {
    const pool = cheapPool();
    const plan = (objective: 'balanced' | { deadlineMs: number }) =>
      planChain({
        chain: batch.definition,
        pool,
        input: { rows },
        objective,
        startAt: wednesday2am,
      });
    expect(plan({ deadlineMs: 1.5 * hour }).deferred).toBeUndefined();
    expect(plan('balanced').deferred).toBeUndefined();
    // Off-peak already: nothing cheaper to wait for.
    const offPeak = planChain({
      chain: batch.definition,
      pool,
      input: { rows },
      objective: { deadlineMs: 12 * hour },
      startAt: Date.parse('2026-12-02T12:00:00Z'),
    });
    expect(offPeak.deferred).toBeUndefined();
  });

  it('runs after the wait: the trace shows it and every call is billed off-peak', async () => {
    const clock = createVirtualClock({ startAt: new Date(wednesday2am) });
    const pool = models.emulated({ profiles: [mercury2, deepseekFlash], clock });
    const runtime = createRuntime({ models: pool, objective: { deadlineMs: 12 * hour } });
    const { trace } = await runtime.run(batch, { rows });
    expect(trace.deferredMs).toBe(2 * hour);
    const items = trace.items.extract!;
    expect(items).toHaveLength(200);
    expect(Math.min(...items.map((item) => item.startMs))).toBeGreaterThanOrEqual(2 * hour);
    for (const item of items) {
      expect(item.model).toBe('deepseek-flash');
      expect(item.costUsd).toBeCloseTo(computeCost(offPeakPricing, item.usage), 15);
    }
    // The emulator bills by the same sheet: what the trace says is what was served.
    expect(pool.stats().costUsd).toBeCloseTo(trace.costUsd, 12);
  });

  it('is cancellable: an abort during the wait ends the run before any call', async () => {
    const clock = createVirtualClock({ startAt: new Date(wednesday2am) });
    const pool = models.emulated({ profiles: [deepseekFlash], clock });
    const runtime = createRuntime({ models: pool, objective: { deadlineMs: 12 * hour } });
    const controller = new AbortController();
    // Aborted once the wait has begun (the plan is out), before the virtual clock moves on.
    runtime.on('plan', () => queueMicrotask(() => controller.abort(new Error('not tonight'))));
    const running = runtime.run(batch, { rows }, { signal: controller.signal });
    const error = await running.catch((caught: unknown) => caught);
    expect(RunAbortedError.isInstance(error)).toBe(true);
    expect(pool.stats().requests).toBe(0);
    expect((error as RunAbortedError).trace?.deferredMs).toBeLessThan(2 * hour);
  });

  it('checks defer as a boolean', () => {
    expect(() =>
      planChain({
        chain: batch.definition,
        pool: cheapPool(),
        objective: { deadlineMs: hour, defer: 'yes' as never },
      }),
    ).toThrow('Expected `objective.defer` to be a boolean, got `yes` (string)');
  });

  it('shows the wait in the live view, and the waterfall says how long it was', async () => {
    const clock = createVirtualClock({ startAt: new Date(wednesday2am) });
    const pool = models.emulated({ profiles: [deepseekFlash], clock });
    const runtime = createRuntime({ models: pool, objective: { deadlineMs: 12 * hour } });
    const live = new LiveRun('batch');
    let header: string | undefined;
    runtime.on('plan', (event) => {
      live.plan(event);
      header = live.render(30 * 60_000, 80, createPaint(false))[0];
    });
    const { trace } = await runtime.run(batch, { rows: rows.slice(0, 3) });
    expect(header).toBe('batch waiting for cheaper prices: starts in 1 h 30 min');
    expect(formatWaterfall(trace, { color: false })).toContain(
      'after waiting 2 h 00 min for cheaper prices',
    );
  });
});
