import {
  chain,
  createRuntime,
  createVirtualClock,
  deepseekFlash,
  fn,
  llm,
  mercury2,
  models,
  planChain,
  RunAbortedError,
} from 'hotpath';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPaint } from '../src/tracing/format/ansi';
import { LiveRun } from '../src/tracing/format/live-view';

// 2026-12-02 is a Wednesday: DeepSeek's peak runs 01:00-04:00 UTC at twice the off-peak prices
// (api-docs.deepseek.com, "Models & Pricing", read 2026-11-15). At 03:55 the chain has five
// minutes of peak left: too little to wait out as a whole under a 12-minute deadline.
const fiveToFour = new Date('2026-12-02T03:55:00Z');
const four = Date.parse('2026-12-02T04:00:00Z');
const minute = 60_000;

// 100 items of ~2,000 tokens in and 400 out, one at a time: ~6.3 s each on DeepSeek Flash
// (10.5 min in all), ~1.1 s on Mercury 2. Per item, at the catalog's prices:
//   Mercury 2:            2,000 x $0.25/M + 400 x $0.75/M = $0.000800
//   DeepSeek Flash peak:  2,000 x $0.30/M + 400 x $1.20/M = $0.001080
//   DeepSeek Flash off:   2,000 x $0.15/M + 400 x $0.60/M = $0.000540
const perItem = { mercury: 0.0008, peak: 0.00108, offPeak: 0.00054 };
const words = 'lorem ipsum dolor sit amet '.repeat(300);
const batch = chain('batch', { input: z.object({ count: z.number() }) }).map(
  'extract',
  ({ input }) => Array.from({ length: input.count }, (_, index) => index),
  llm({
    prompt: (index: number) => `${words} ${index}`,
    maxOutputTokens: 400,
    expect: { inputTokens: 2000, outputTokens: 400 },
  }),
  { concurrency: 1, expect: { items: 100 } },
);
const deadline = { deadlineMs: 12 * minute };

function world() {
  const clock = createVirtualClock({ startAt: fiveToFour });
  const pool = models.emulated({ profiles: [mercury2, deepseekFlash], clock });
  const runtime = createRuntime({ models: pool, clock, hedge: false });
  return { clock, pool, runtime };
}

describe('time for money: part of a map deferred into a cheaper window', () => {
  it('holds the items that still end in time until 04:00, the rest at once: hand-checked', () => {
    const { pool } = world();
    const plan = planChain({
      chain: batch.definition,
      pool,
      objective: deadline,
      startAt: fiveToFour.getTime(),
    });
    const step = plan.step('extract')!;
    // At peak Mercury 2 is cheaper than DeepSeek (the plan without deferral), and the whole map
    // cannot wait: 5 min + 10.5 min is past the deadline. Held items run from 04:00 to the
    // deadline (7 min at ~6.3 s: 66 of them); the other 34 run at once, done by ~03:59.
    expect(plan.deferred).toBeUndefined();
    expect(step.model).toBe('deepseek-flash');
    expect(step.deferred).toMatchObject({ items: 66, startsAt: four, startMs: 5 * minute });
    expect(step.predicted.costUsd).toBeCloseTo(34 * perItem.peak + 66 * perItem.offPeak, 12);
    expect(step.deferred!.savedUsd).toBeCloseTo(100 * perItem.mercury - step.predicted.costUsd, 12);
    expect(step.predicted.endMs).toBeLessThanOrEqual(deadline.deadlineMs);
    // explain() wraps at 80 columns: read it as one line.
    expect(plan.explain().replace(/\n\s+/g, ' ')).toContain(
      'deferred: 66 of 100 items of `extract` wait until 04:00 UTC (5 min after the start), when prices drop; saves $0.007640 (10%)',
    );

    const noWait = planChain({
      chain: batch.definition,
      pool,
      objective: { ...deadline, defer: false },
      startAt: fiveToFour.getTime(),
    });
    expect(noWait.step('extract')).toMatchObject({ model: 'mercury-2' });
    expect(noWait.step('extract')!.deferred).toBeUndefined();
    expect(noWait.costUsd).toBeCloseTo(100 * perItem.mercury, 12);
  });

  it('keeps every item when the deadline leaves no room after the change, and at off-peak', () => {
    const { pool } = world();
    const tight = planChain({
      chain: batch.definition,
      pool,
      objective: { deadlineMs: 4 * minute },
      startAt: fiveToFour.getTime(),
    });
    expect(tight.step('extract')!.deferred).toBeUndefined();
    const offPeak = planChain({
      chain: batch.definition,
      pool,
      objective: deadline,
      startAt: Date.parse('2026-12-02T12:00:00Z'),
    });
    expect(offPeak.step('extract')!.deferred).toBeUndefined();
    expect(offPeak.step('extract')!.model).toBe('deepseek-flash');
  });

  it('runs the held items at 04:00 and is billed what the emulator served', async () => {
    const { pool, runtime } = world();
    const live = new LiveRun('batch');
    let view: string | undefined;
    runtime.on('plan', (event) => live.plan(event));
    runtime.on('step:start', (event) => live.start(event));
    runtime.on('step:end', (record) => {
      live.end(record);
      // At 2 min the first items are done and 66 still wait for 04:00, 3 min away.
      if (record.item === 10) view = live.render(2 * minute, 100, createPaint(false)).join('\n');
    });
    const { trace } = await runtime.run(batch, { count: 100 }, { objective: deadline });
    expect(view).toContain('66 wait 3 min');
    const items = trace.items.extract!;
    const started = items.map((record) => record.startMs).sort((a, b) => a - b);
    // 34 items before the change, 66 at or after it.
    expect(started.filter((ms) => ms < 5 * minute)).toHaveLength(34);
    expect(started[34]).toBeGreaterThanOrEqual(5 * minute);
    expect(trace.steps[0]!.deferred?.items).toBe(66);
    expect(trace.steps[0]!.deferred!.waitedMs).toBeGreaterThan(0);
    expect(trace.durationMs).toBeLessThanOrEqual(deadline.deadlineMs);
    // Each call priced at its start: the held ones at the off-peak rate, as the emulator bills.
    expect(trace.costUsd).toBeCloseTo(pool.stats().costUsd, 12);
    expect(pool.stats().requests).toBe(100);
  });

  it('stops waiting when the run is cancelled, and calls none of the held items', async () => {
    const { pool, runtime } = world();
    const controller = new AbortController();
    runtime.on('step:end', (record) => {
      if (record.item === 33) controller.abort(new Error('stop'));
    });
    const error = await runtime
      .run(batch, { count: 100 }, { objective: deadline, signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunAbortedError);
    expect(pool.stats().requests).toBe(34);
  });

  it('holds a whole step with slack until 04:00 while the rest of the chain runs', async () => {
    // Two branches meet in `join`: six minutes of code, and one DeepSeek call of ~6 s. At 03:57
    // under a 7-minute deadline the chain cannot wait for 04:00 as a whole (3 + 6 min), but the
    // call can: it starts at 04:00 and still ends long before `join`.
    const clock = createVirtualClock({ startAt: new Date('2026-12-02T03:57:00Z') });
    const pool = models.emulated({ profiles: [mercury2, deepseekFlash], clock });
    const runtime = createRuntime({ models: pool, clock, hedge: false });
    const branches = chain('branches', { input: z.object({}) })
      .step(
        'crunch',
        fn(() => clock.sleep(6 * minute), { expect: { durationMs: 6 * minute } }),
      )
      .step(
        'summary',
        { needs: [] },
        llm({
          prompt: `${words} summarise`,
          maxOutputTokens: 400,
          models: ['deepseek-flash'],
          expect: { inputTokens: 2000, outputTokens: 400 },
        }),
      )
      .step(
        'join',
        { needs: ['crunch', 'summary'] },
        fn(() => 'done'),
      );
    const objective = { deadlineMs: 7 * minute };
    const plan = runtime.plan(branches, {}, { objective });
    expect(plan.deferred).toBeUndefined();
    expect(plan.step('summary')!.deferred).toMatchObject({ items: 1, startMs: 3 * minute });
    expect(plan.step('summary')!.predicted.costUsd).toBeCloseTo(perItem.offPeak, 12);
    expect(plan.step('summary')!.deferred!.savedUsd).toBeCloseTo(
      perItem.peak - perItem.offPeak,
      12,
    );
    expect(plan.explain().replace(/\n\s+/g, ' ')).toContain(
      'deferred: `summary` waits until 04:00 UTC (3 min after the start), when prices drop',
    );
    const { trace } = await runtime.run(branches, {}, { objective });
    const summary = trace.steps.find((record) => record.stepId === 'summary')!;
    expect(summary.startMs).toBeGreaterThanOrEqual(3 * minute);
    expect(summary.deferred).toEqual({ items: 1, waitedMs: 3 * minute });
    expect(trace.durationMs).toBeLessThanOrEqual(objective.deadlineMs);
    expect(trace.costUsd).toBeCloseTo(pool.stats().costUsd, 12);
  });
});
