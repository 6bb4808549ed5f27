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
