import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Script, scriptedModel } from '../../test/helpers/scripted-model';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { BudgetExceededError, StepError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createModelPool, defineModel } from '../models/pool';
import type { RunTrace, StepRecord } from '../tracing/records';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({ q: z.string() });

function setup(fast: Script[], options: Partial<RuntimeOptions> = {}) {
  const clock = createVirtualClock();
  const models = {
    fast: scriptedModel('fast', clock, fast),
    cheap: scriptedModel('cheap', clock, [{ type: 'http', status: 400 }]),
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
    _internal: { random: () => 0.5 },
    ...options,
  });
  // The trace each run ended with (a StepError carries none of its own yet).
  const ended: RunTrace[] = [];
  runtime.on('chain:end', (trace) => {
    ended.push(trace);
  });
  return { runtime, models, clock, ended };
}

const answer = llm({ prompt: (letter: string) => `say ${letter}`, lane: 'fast', hedge: false });

/** The sum of what the map's items recorded. */
function itemSpend(items: readonly StepRecord[]) {
  return {
    costUsd: items.reduce((sum, record) => sum + record.costUsd, 0),
    outputTokens: items.reduce((sum, record) => sum + record.usage.outputTokens, 0),
  };
}

describe('a map that stops early still counts what its items spent', () => {
  it('a failed map: its record, trace.costUsd and trace.usage hold the items that ran', async () => {
    const { runtime, ended } = setup([
      { type: 'ok' },
      { type: 'ok' },
      { type: 'http', status: 400 },
    ]);
    const mapped = chain('m', { input }).map('answers', () => ['a', 'b', 'c', 'd'], answer, {
      concurrency: 1,
    });
    const error = await runtime.run(mapped, { q: 'x' }).catch((caught) => caught);
    expect(StepError.isInstance(error)).toBe(true);
    const trace = ended[0]!;
    const items = trace.items.answers as StepRecord[];
    const spent = itemSpend(items);
    expect(spent.costUsd).toBeGreaterThan(0);
    expect(spent.outputTokens).toBe(100);
    const record = trace.steps.find((step: StepRecord) => step.stepId === 'answers')!;
    expect(record).toMatchObject({ status: 'error', costUsd: spent.costUsd });
    expect(record.usage.outputTokens).toBe(100);
    expect(trace.costUsd).toBeCloseTo(spent.costUsd, 15);
    expect(trace.usage.outputTokens).toBe(100);
  });

  it('a map stopped at the budget: spentUsd agrees with the trace, which counts the items', async () => {
    const { runtime } = setup([{ type: 'ok', ttftMs: 100, durationMs: 400 }]);
    const mapped = chain('m', { input }).map(
      'answers',
      () => ['a', 'b', 'c', 'd', 'e', 'f'],
      llm({ prompt: (letter: string) => `say ${letter}`, lane: 'fast', maxOutputTokens: 1000 }),
      { concurrency: 2 },
    );
    // Each item reserves $0.0007525 (10 + 1000 tokens) and spends $0.0000625 (100 + 50 tokens):
    // two fit side by side until three have been paid for, then the next is refused.
    const error = await runtime
      .run(mapped, { q: 'x' }, { maxCostUsd: 0.00166 })
      .catch((caught) => caught);
    expect(error.message).toContain('would cross the budget');
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    const trace = error.trace;
    const spent = itemSpend(trace.items.answers);
    expect(error.stepId).toBe('answers');
    expect(spent.costUsd).toBeGreaterThanOrEqual(3 * 0.0000625);
    expect(trace.costUsd).toBeCloseTo(spent.costUsd, 15);
    expect(error.spentUsd).toBeCloseTo(trace.costUsd, 15);
    const record = trace.steps.find((step: StepRecord) => step.stepId === 'answers');
    expect(record.costUsd).toBeCloseTo(spent.costUsd, 15);
  });

  it('an aborted map counts the items that finished before the abort', async () => {
    const { runtime, clock } = setup([{ type: 'ok', ttftMs: 100, durationMs: 100 }]);
    const mapped = chain('m', { input }).map('answers', () => ['a', 'b', 'c', 'd'], answer, {
      concurrency: 1,
    });
    const controller = new AbortController();
    clock.sleep(500).then(() => controller.abort(new Error('enough')));
    const error = await runtime
      .run(mapped, { q: 'x' }, { signal: controller.signal })
      .catch((caught) => caught);
    const spent = itemSpend(error.trace.items.answers);
    expect(spent.outputTokens).toBe(100);
    expect(error.trace.costUsd).toBeCloseTo(spent.costUsd, 15);
    expect(error.trace.usage.outputTokens).toBe(100);
  });
});

describe('a run settles only when everything it started has stopped', () => {
  it('no map item runs or reports after run() rejects, and the trace does not change', async () => {
    const { runtime, clock, ended } = setup([{ type: 'ok' }]);
    let running = 0;
    const mapped = chain('m', { input }).map(
      'work',
      () => [0, 1, 2, 3, 4, 5],
      fn(async (n: number) => {
        running += 1;
        try {
          if (n === 1) throw new Error('item 1 broke');
          // Plain code that ignores the abort signal: the run must still wait for it.
          await clock.sleep(1000 + n * 100);
          return n;
        } finally {
          running -= 1;
        }
      }),
      { concurrency: 4 },
    );
    let settled = false;
    const late: StepRecord[] = [];
    runtime.on('step:end', (record) => {
      if (settled) late.push(record);
    });
    const error = await runtime.run(mapped, { q: 'x' }).catch((caught) => caught);
    settled = true;
    expect(StepError.isInstance(error)).toBe(true);
    expect(error.message).toContain('item 1 broke');
    expect(running).toBe(0);
    const trace = ended[0]!;
    const seen = trace.items.work!.length;
    expect(seen).toBe(4);
    await clock.sleep(10_000);
    expect(trace.items.work!.length).toBe(seen);
    expect(late).toEqual([]);
  });
});
