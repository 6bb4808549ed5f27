import { z } from 'zod';
import { chain, llm } from '../src/chain';
import { createVirtualClock } from '../src/clock';
import { models } from '../src/models';
import { deepseekFlash, mercury2 } from '../src/models/catalog';
import { createRuntime } from '../src/runtime';
import type { BenchRow } from './lib/table';

const hour = 3_600_000;
/** 02:00 UTC on Wednesday 2026-12-02: DeepSeek's peak, until 04:00. */
export const deferralStart = '2026-12-02T02:00:00Z';

const batch = chain('batch-2000', { input: z.object({ rows: z.array(z.string()) }) }).map(
  'extract',
  ({ input }) => input.rows,
  llm({ prompt: (row: string) => `Extract the fields of: ${row}`, maxOutputTokens: 200 }),
  { concurrency: 64 },
);

/**
 * A 2,000-item map started at peak under a 12-hour deadline, once told to start at once
 * (`defer: false`) and once free to wait for a cheaper window: the plan, and the bill of the run
 * on the in-process emulator and a virtual clock (each call priced at its start).
 */
export async function benchDeferral(): Promise<BenchRow[]> {
  const rows = Array.from({ length: 2000 }, (_, index) => `export row ${index}: a, b, c`);
  const variants: [string, boolean][] = [
    ['start at once (`defer: false`)', false],
    ['free to defer', true],
  ];
  const out: BenchRow[] = [];
  for (const [label, defer] of variants) {
    const clock = createVirtualClock({ startAt: new Date(deferralStart) });
    const pool = models.emulated({ profiles: [mercury2, deepseekFlash], clock });
    const runtime = createRuntime({ models: pool, objective: { deadlineMs: 12 * hour, defer } });
    const plan = runtime.plan(batch, { rows });
    const { trace } = await runtime.run(batch, { rows });
    out.push({
      plan: label,
      models: [...new Set(trace.items.extract!.map((item) => item.model))].join(', '),
      wait: `${((trace.deferredMs ?? 0) / hour).toFixed(2)} h`,
      'makespan incl. wait': `${(trace.durationMs / hour).toFixed(2)} h`,
      'planned cost': `$${plan.costUsd.toFixed(4)}`,
      'bill (trace)': `$${trace.costUsd.toFixed(4)}`,
      'bill (emulator)': `$${pool.stats().costUsd.toFixed(4)}`,
    });
  }
  return out;
}

/** 03:30 UTC on the same Wednesday: half an hour of peak left. */
export const partialStart = '2026-12-02T03:30:00Z';

const longBatch = chain('batch-10000', { input: z.object({ count: z.number() }) }).map(
  'extract',
  ({ input }) => Array.from({ length: input.count }, (_, index) => index),
  llm({
    prompt: (index: number) => `${'Field list and instructions. '.repeat(250)} Row ${index}.`,
    maxOutputTokens: 400,
    expect: { inputTokens: 2000, outputTokens: 400 },
  }),
  { concurrency: 10 },
);

/**
 * 10,000 items of ~2,000 tokens in and 400 out, at concurrency 10, started at 03:30 UTC under a
 * 2-hour deadline: too long on DeepSeek to wait for 04:00 as a whole, so once with `defer:
 * false` (all on Mercury 2, cheaper at peak) and once free to hold part of the map.
 */
export async function benchPartialDeferral(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  for (const [label, defer] of [
    ['start at once (`defer: false`)', false],
    ['free to hold items', true],
  ] as const) {
    const clock = createVirtualClock({ startAt: new Date(partialStart) });
    const pool = models.emulated({ profiles: [mercury2, deepseekFlash], clock });
    const runtime = createRuntime({ models: pool, objective: { deadlineMs: 2 * hour, defer } });
    const plan = runtime.plan(longBatch, { count: 10_000 });
    const { trace } = await runtime.run(longBatch, { count: 10_000 });
    const held = trace.steps[0]!.deferred;
    out.push({
      plan: label,
      models: [...new Set(trace.items.extract!.map((item) => item.model))].join(', '),
      'items held to 04:00': held ? String(held.items) : '0',
      makespan: `${(trace.durationMs / hour).toFixed(2)} h`,
      'planned cost': `$${plan.costUsd.toFixed(2)}`,
      'bill (trace)': `$${trace.costUsd.toFixed(2)}`,
      'bill (emulator)': `$${pool.stats().costUsd.toFixed(2)}`,
    });
  }
  return out;
}
