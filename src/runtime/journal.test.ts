import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chain, fn, llm } from '../chain';
import { createVirtualClock } from '../clock';
import { RunStoreError } from '../errors';
import { deepseekFlash, mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryRunStore } from '../stores/memory-run-store';
import type { JournalEntry, RunStore } from '../stores/run-store';
import type { StepRecord } from '../tracing/records';
import { createRuntime, type RuntimeOptions } from './runtime';

const input = z.object({ topic: z.string() });

/** A runtime on a fresh emulated pool (its own request counter) over `store`. */
function setup(store: RunStore | undefined, extra: Partial<RuntimeOptions> = {}) {
  const clock = createVirtualClock();
  const models = createEmulatedPool({ profiles: [mercury2], clock, seed: 7, requestLog: true });
  const runtime = createRuntime({ models, store, ...extra });
  return {
    runtime,
    requests: () => models.stats().requests,
    /** What each request asked, in order (the emulator's request log). */
    prompts: () => models.stats().requestLog!.map((request) => request.prompt),
  };
}

const itemPrompt = (topic: string) => `One line on ${topic}.`;

function research(reportPrompt = 'Write the report') {
  return chain('research', { input })
    .step(
      'plan',
      llm({
        prompt: ({ input }) => `Plan research on ${input.topic}`,
        output: z.object({ topics: z.array(z.string()).min(12).max(12) }),
      }),
    )
    .map('notes', ({ plan }) => plan.topics, llm({ prompt: itemPrompt, maxOutputTokens: 40 }), {
      concurrency: 3,
    })
    .step(
      'report',
      llm({
        prompt: ({ notes }) => `${reportPrompt}: ${notes.map((note) => note.text).join(' / ')}`,
        maxOutputTokens: 60,
      }),
    )
    .returns(({ report, notes }) => ({ report: report.text, notes: notes.length }));
}

/** Runs `chain` and aborts it once `items` map items have ended. */
async function runAndAbortAfter(
  runtime: ReturnType<typeof setup>['runtime'],
  items: number,
  runId: string,
) {
  const controller = new AbortController();
  let ended = 0;
  const off = runtime.on('step:end', (record) => {
    if (record.item !== undefined && ++ended === items) controller.abort(new Error('crash'));
  });
  await expect(
    runtime.run(research(), { topic: 'tides' }, { runId, signal: controller.signal }),
  ).rejects.toThrow();
  off();
}

const sources = (records: readonly StepRecord[]) => records.map((record) => record.source);

/** The steps of the units a journal holds, in order, one per step or map item. */
const unitSteps = (entries: readonly JournalEntry[]) =>
  entries.flatMap((entry) =>
    entry.type === 'unit'
      ? [entry.stepId]
      : entry.type === 'items'
        ? entry.rows.map(() => entry.stepId)
        : [],
  );

describe('durable runs', () => {
  it('resumes an interrupted run: finished work is read back, only the rest is called', async () => {
    const reference = setup(undefined);
    const expected = await reference.runtime.run(research(), { topic: 'tides' });
    expect(reference.requests()).toBe(14);

    const store = createMemoryRunStore();
    const first = setup(store);
    await runAndAbortAfter(first.runtime, 5, 'run-1');
    const paidFirst = first.requests();
    const [summary] = await store.list();
    expect(summary).toMatchObject({ runId: 'run-1', status: 'error', stepsDone: 1 });
    expect(summary!.items).toBeGreaterThanOrEqual(5);

    const second = setup(store);
    const { output, trace } = await second.runtime.run(
      research(),
      { topic: 'tides' },
      { runId: 'run-1' },
    );
    expect(output).toEqual(expected.output);
    // The plan and the journaled items cost no request; the items in flight at the abort run again.
    const journaledItems = summary!.items;
    expect(second.requests()).toBe(12 - journaledItems + 1);
    expect(paidFirst + second.requests()).toBeLessThanOrEqual(14 + 3);
    expect(trace.steps.find((record) => record.stepId === 'plan')?.source).toBe('resumed');
    expect(sources(trace.items.notes!).filter((source) => source === 'resumed')).toHaveLength(
      journaledItems,
    );
    expect(trace.durable).toMatchObject({ resumed: journaledItems + 1, cached: 0 });
    // Calls are the ones this attempt made: what was read back made none.
    expect(trace.calls).toBe(second.requests());
    expect(trace.models?.['mercury-2']?.calls).toBe(second.requests());
    // The spend carried as already paid makes the same total as the uninterrupted run.
    expect(trace.costUsd).toBeCloseTo(expected.trace.costUsd, 12);
    expect(trace.durable!.resumedCostUsd).toBeGreaterThan(0);
    expect((await store.list())[0]).toMatchObject({ status: 'ok', attempts: 2, stepsDone: 3 });
  });

  it('replays a finished run with no request at all', async () => {
    const store = createMemoryRunStore();
    const first = setup(store);
    const done = await first.runtime.run(research(), { topic: 'tides' }, { runId: 'r' });
    const again = setup(store);
    const replayed = await again.runtime.run(research(), { topic: 'tides' }, { runId: 'r' });
    expect(again.requests()).toBe(0);
    expect([done.trace.calls, replayed.trace.calls]).toEqual([14, 0]);
    expect(replayed.trace.models?.['mercury-2']?.calls).toBe(0);
    expect(replayed.output).toEqual(done.output);
    expect(replayed.trace.costUsd).toBeCloseTo(done.trace.costUsd, 12);
    expect(done.trace.durable).toMatchObject({ called: 14, resumed: 0 });
    expect(sources(done.trace.steps)).toEqual(['call', 'call', 'call']);
  });

  it('refuses another input or another chain under the same run id', async () => {
    const store = createMemoryRunStore();
    const { runtime } = setup(store);
    await runtime.run(research(), { topic: 'tides' }, { runId: 'r' });
    const other = runtime.run(research(), { topic: 'winds' }, { runId: 'r' });
    await expect(other).rejects.toSatisfy(
      (error) => RunStoreError.isInstance(error) && error.reason === 'input-mismatch',
    );
    await expect(other).rejects.toThrow(/resumed with the input it started with/);
    const renamed = chain('other', { input }).step('x', llm({ prompt: 'x' }));
    await expect(runtime.run(renamed, { topic: 'tides' }, { runId: 'r' })).rejects.toThrow(
      /Expected run `r` to be resumed by the chain it started with, `research`, got `other`/,
    );
    // The refused attempts gave the lease back.
    expect((await store.lease('r', 'someone', 1000)).acquired).toBe(true);
  });

  it('tells inputs apart by what their sets and maps hold', async () => {
    const store = createMemoryRunStore();
    const { runtime } = setup(store);
    const tagged = chain('tagged', { input: z.object({ tags: z.set(z.string()) }) }).step(
      'x',
      llm({ prompt: ({ input }) => `Tags: ${[...input.tags].join(', ')}` }),
    );
    await runtime.run(tagged, { tags: new Set(['a']) }, { runId: 's' });
    await expect(runtime.run(tagged, { tags: new Set(['b']) }, { runId: 's' })).rejects.toSatisfy(
      (error) => RunStoreError.isInstance(error) && error.reason === 'input-mismatch',
    );
  });

  it('re-runs a changed step and everything downstream of it, and reuses the rest', async () => {
    const store = createMemoryRunStore();
    await setup(store).runtime.run(research(), { topic: 'tides' }, { runId: 'r' });
    const edited = setup(store);
    const { trace } = await edited.runtime.run(
      research('Write a short report'),
      { topic: 'tides' },
      { runId: 'r' },
    );
    expect(edited.requests()).toBe(1);
    expect(sources(trace.steps)).toEqual(['resumed', 'resumed', 'call']);

    // A changed `over` changes the map and so the report, which reads it.
    const planChanged = chain('research', { input })
      .step(
        'plan',
        llm({
          prompt: ({ input }) => `Plan research on ${input.topic}`,
          output: z.object({ topics: z.array(z.string()).min(12).max(12) }),
        }),
      )
      .map(
        'notes',
        ({ plan }) => plan.topics.slice(0, 4),
        llm({ prompt: itemPrompt, maxOutputTokens: 40 }),
        {
          concurrency: 3,
        },
      )
      .step('report', llm({ prompt: ({ notes }) => `Write a short report: ${notes.length}` }));
    const changed = setup(store);
    const result = await changed.runtime.run(planChanged, { topic: 'tides' }, { runId: 'r' });
    expect(changed.requests()).toBe(5);
    expect(result.trace.steps[0]!.source).toBe('resumed');
  });

  it('re-runs what reads a step that ran again, even when its own key still matches', async () => {
    const store = createMemoryRunStore();
    let calls = 0;
    const flaky = () =>
      chain('flaky', { input })
        .step(
          'stamp',
          fn(() => {
            calls++;
            return { at: new Date(0) };
          }),
        )
        .step('use', llm({ prompt: ({ stamp }) => `stamp ${String(stamp.at)}` }));
    const first = setup(store);
    const done = await first.runtime.run(flaky(), { topic: 't' }, { runId: 'r' });
    expect(done.trace.warnings.map((warning) => warning.message)).toEqual([
      'the output of `stamp` is not plain JSON: it is not journaled and runs again on resume',
    ]);
    const again = setup(store);
    await again.runtime.run(flaky(), { topic: 't' }, { runId: 'r' });
    expect(calls).toBe(2);
    expect(again.requests()).toBe(1);
  });

  it('lets one process hold a run: a second gets an error saying when the lease lapses', async () => {
    let time = Date.UTC(2026, 11, 1, 12);
    const now = () => time;
    const store = createMemoryRunStore({ _internal: { now } });
    // A crashed holder: its lease was taken and never renewed.
    await store.lease('r', 'crashed-process', 4000);
    const { runtime } = setup(store, { _internal: { now }, leaseMs: 4000 });
    const refused = runtime.run(research(), { topic: 'tides' }, { runId: 'r' });
    await expect(refused).rejects.toSatisfy(
      (error) =>
        RunStoreError.isInstance(error) &&
        error.reason === 'lease-held' &&
        error.leaseExpiresAt === time + 4000,
    );
    await expect(refused).rejects.toThrow(
      'Run `r` is running elsewhere (`crashed-process` holds its lease) until 2026-12-01T12:00:04.000Z, 4.0 s from now',
    );
    time += 4001;
    const { trace } = await runtime.run(research(), { topic: 'tides' }, { runId: 'r' });
    expect(trace.status).toBe('ok');
  });

  it('refuses a second simultaneous run of the same id', async () => {
    const store = createMemoryRunStore();
    const a = setup(store);
    const b = setup(store);
    const results = await Promise.allSettled([
      a.runtime.run(research(), { topic: 'tides' }, { runId: 'same' }),
      b.runtime.run(research(), { topic: 'tides' }, { runId: 'same' }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find(
      (result) => result.status === 'rejected',
    ) as PromiseRejectedResult;
    expect(RunStoreError.isInstance(rejected.reason) && rejected.reason.reason).toBe('lease-held');
    expect(a.requests() + b.requests()).toBe(14);
  });

  it('resolves the prompt of a unit once, for its key and for its call', async () => {
    // The planner reads prompts too (to count their tokens): a durable run reads them no more
    // often than a run without a store, and each call sends what its key was made of.
    const run = async (store: RunStore | undefined) => {
      const { runtime, prompts } = setup(store);
      let resolved = 0;
      const counted = chain('counted', { input })
        .step('intro', llm({ prompt: ({ input }) => `Intro ${input.topic} ${++resolved}` }))
        .map(
          'lines',
          () => ['a', 'b', 'c'],
          llm({ prompt: (item) => `Line ${item} ${++resolved}` }),
        )
        .returns(({ lines }) => lines.length);
      await runtime.run(counted, { topic: 'tides' }, store && { runId: 'counted-1' });
      return { resolved, sent: prompts().sort() };
    };
    const plain = await run(undefined);
    const durable = await run(createMemoryRunStore());
    expect(durable).toEqual(plain);
    expect(durable.sent).toHaveLength(4);
  });

  it('turns a store that fails into a RunStoreError naming the run, with the store’s error as its cause', async () => {
    const disk = new Error('EIO: i/o error, read');
    const failing = (method: 'lease' | 'read' | 'append'): RunStore => ({
      ...createMemoryRunStore(),
      [method]: async () => {
        throw disk;
      },
    });
    for (const [method, doing] of [
      ['lease', 'take its lease'],
      ['read', 'read its journal'],
      ['append', 'write its journal'],
    ] as const) {
      const { runtime, requests } = setup(failing(method));
      const failed = await runtime
        .run(research(), { topic: 'storage' }, { runId: `failing-${method}` })
        .catch((error: unknown) => error);
      expect(RunStoreError.isInstance(failed), method).toBe(true);
      expect(failed).toMatchObject({
        runId: `failing-${method}`,
        reason: 'store-failed',
        cause: disk,
        message: `Run \`failing-${method}\`: the run store could not ${doing}: EIO: i/o error, read`,
      });
      // Nothing is called on a run the store cannot keep: the start entry is written first.
      expect(requests(), method).toBe(0);
    }
  });

  it('calls a step whose cached result cannot be read, as on a cache miss', async () => {
    const store: RunStore = {
      ...createMemoryRunStore(),
      getCached: async () => {
        throw new Error('EACCES: permission denied');
      },
    };
    const { runtime, requests } = setup(store, { cache: true });
    const { output } = await runtime.run(research(), { topic: 'caching' }, { runId: 'no-cache' });
    expect(output.notes).toBe(12);
    expect(requests()).toBe(14);
  });

  it('keeps records marked as calls and no durable totals without a store', async () => {
    const { runtime } = setup(undefined);
    const { trace } = await runtime.run(research(), { topic: 'tides' });
    expect(sources(trace.steps)).toEqual(['call', 'call', 'call']);
    expect(trace.durable).toBeUndefined();
  });
});

describe('the development cache', () => {
  it('re-runs only the edited last step, and cached records cost nothing', async () => {
    const store = createMemoryRunStore();
    const first = setup(store, { cache: true });
    const before = await first.runtime.run(research(), { topic: 'tides' });
    expect(first.requests()).toBe(14);

    const edited = setup(store, { cache: true });
    const { trace } = await edited.runtime.run(research('Write a crisp report'), {
      topic: 'tides',
    });
    expect(edited.requests()).toBe(1);
    // The one request is the edited report's.
    expect(edited.prompts()).toEqual([expect.stringMatching(/^Write a crisp report: /)]);
    expect(new Set(first.prompts()).size).toBe(14);
    expect(trace.calls).toBe(1);
    expect(sources(trace.steps)).toEqual(['cache', 'cache', 'call']);
    expect(new Set(sources(trace.items.notes!))).toEqual(new Set(['cache']));
    const report = trace.steps.find((record) => record.stepId === 'report')!;
    expect(trace.costUsd).toBeCloseTo(report.costUsd, 12);
    const plan = trace.steps[0]!;
    expect(plan.costUsd).toBe(0);
    expect(plan.replayed?.costUsd).toBeCloseTo(before.trace.steps[0]!.costUsd, 12);
    expect(trace.durable!.cached).toBe(13);
    expect(trace.durable!.cachedCostUsd).toBeCloseTo(
      before.trace.costUsd - before.trace.steps.find((r) => r.stepId === 'report')!.costUsd,
      12,
    );
  });

  it('ignores results older than the TTL, and a step can opt out', async () => {
    let time = 1_000_000;
    const now = () => time;
    const store = createMemoryRunStore({ _internal: { now } });
    await setup(store, { cache: { ttlMs: 60_000 }, _internal: { now } }).runtime.run(research(), {
      topic: 'tides',
    });
    time += 59_000;
    const fresh = setup(store, { cache: { ttlMs: 60_000 }, _internal: { now } });
    await fresh.runtime.run(research(), { topic: 'tides' });
    expect(fresh.requests()).toBe(0);
    time += 2_000;
    const stale = setup(store, { cache: { ttlMs: 60_000 }, _internal: { now } });
    await stale.runtime.run(research(), { topic: 'tides' });
    expect(stale.requests()).toBe(14);

    const optOut = chain('opt', { input }).step('x', llm({ prompt: 'x', cache: false }));
    await setup(store, { cache: true }).runtime.run(optOut, { topic: 't' });
    const again = setup(store, { cache: true });
    await again.runtime.run(optOut, { topic: 't' });
    expect(again.requests()).toBe(1);
    const optIn = chain('opt-in', { input }).step('x', llm({ prompt: 'x', cache: true }));
    await setup(store).runtime.run(optIn, { topic: 't' });
    const cachedStep = setup(store);
    await cachedStep.runtime.run(optIn, { topic: 't' });
    expect(cachedStep.requests()).toBe(0);
  });

  it('needs a store', () => {
    expect(() => setup(undefined, { cache: true })).toThrow(
      'Expected `cache` to be used with a `store`',
    );
  });
});

describe('durable maps', () => {
  it('frees an item’s slot before its entry is written, up to a backlog of `concurrency`', async () => {
    // A store whose unit writes wait until released: the map goes on while they wait.
    const inner = createMemoryRunStore();
    const gates: (() => void)[] = [];
    let open = false;
    const store: RunStore = {
      ...inner,
      async append(runId, entries) {
        if (!open && entries.some((entry) => entry.type === 'unit' || entry.type === 'items')) {
          await new Promise<void>((resolve) => gates.push(resolve));
        }
        await inner.append(runId, entries);
      },
    };
    const items = chain('items', { input })
      .map(
        'notes',
        () => Array.from({ length: 8 }, (_, index) => `topic ${index}`),
        llm({ prompt: itemPrompt, maxOutputTokens: 20 }),
        { concurrency: 2 },
      )
      .step(
        'count',
        fn(({ notes }) => notes.length),
      )
      .returns(({ count }) => count);
    const { runtime } = setup(store);
    let ended = 0;
    runtime.on('step:end', (record) => {
      if (record.item !== undefined) ended++;
    });
    const running = runtime.run(items, { topic: 't' }, { runId: 'gated' });
    for (let turn = 0; turn < 300; turn++) await new Promise((resolve) => setImmediate(resolve));
    // The first item's entry is being written; two more queued freed their slots; the next two
    // found `concurrency` entries queued and hold theirs: 1 + 2 + 2 items done, none written.
    expect(ended).toBe(5);
    expect(unitSteps((await inner.read('gated'))!)).toEqual([]);
    open = true;
    for (const gate of gates.splice(0)) gate();
    const { output, trace } = await running;
    expect(trace.steps.find((record) => record.stepId === 'count')).toBeDefined();
    expect(output).toBe(8);
    // Every item written before the step after the map started, the map's own entry after them.
    expect(unitSteps((await inner.read('gated'))!)).toEqual([...Array(8).fill('notes'), 'count']);
    const types = (await inner.read('gated'))!.map((entry) => entry.type);
    expect(types.lastIndexOf('items')).toBeLessThan(types.indexOf('map'));
    expect(types.indexOf('map')).toBe(types.lastIndexOf('unit') - 1);
  });

  it('resumes a pipelined map whose producer was never journaled: equal items are reused', async () => {
    const pipelined = () =>
      chain('piped', { input })
        .step(
          'plan',
          llm({
            prompt: ({ input }) => `List topics on ${input.topic}`,
            output: z.object({ topics: z.array(z.string().min(8)).min(12).max(12) }),
            lane: 'cheap',
          }),
        )
        .map(
          'notes',
          ({ plan }) => plan?.topics ?? [],
          // Items on the fast lane finish while the producer (cheap lane) still streams.
          llm({ prompt: itemPrompt, maxOutputTokens: 20, lane: 'fast' }),
          { concurrency: 3, pipeline: true },
        )
        .returns(({ notes }) => notes.map((note) => note.text));
    const setupPiped = (store: RunStore | undefined) => {
      const clock = createVirtualClock();
      const models = createEmulatedPool({ profiles: [mercury2, deepseekFlash], clock, seed: 3 });
      return { runtime: createRuntime({ models, store }), requests: () => models.stats().requests };
    };
    const reference = await setupPiped(undefined).runtime.run(pipelined(), { topic: 'tides' });

    const store = createMemoryRunStore();
    const first = setupPiped(store);
    const controller = new AbortController();
    let items = 0;
    let planEnded = false;
    first.runtime.on('step:end', (record) => {
      if (record.stepId === 'plan' && record.status === 'ok') planEnded = true;
      if (record.item !== undefined && ++items === 2) controller.abort(new Error('crash'));
    });
    await expect(
      first.runtime.run(pipelined(), { topic: 'tides' }, { runId: 'p', signal: controller.signal }),
    ).rejects.toThrow();
    // The case at hand: items journaled, their producer not.
    expect(planEnded).toBe(false);
    const journal = (await store.read('p'))!;
    const units = unitSteps(journal);
    expect(units).toEqual(Array(units.length).fill('notes'));
    expect(units.length).toBeGreaterThanOrEqual(2);

    const second = setupPiped(store);
    const { output, trace } = await second.runtime.run(
      pipelined(),
      { topic: 'tides' },
      { runId: 'p' },
    );
    expect(output).toEqual(reference.output);
    // The producer ran again and gave the same list: only the items not journaled were called.
    expect(trace.steps.find((record) => record.stepId === 'plan')?.source).toBe('call');
    expect(second.requests()).toBe(1 + 12 - units.length);
    expect(sources(trace.items.notes!).filter((source) => source === 'resumed')).toHaveLength(
      units.length,
    );
    expect(trace.calls).toBe(second.requests());
  });

  it('re-runs what reads a map whose producer ran again, though every item was reused', async () => {
    let lists = 0;
    const shrinking = () =>
      chain('shrinking', { input })
        // Not plain JSON (a Date), so never journaled: it runs again on resume, with a shorter list.
        .step(
          'plan',
          fn(() => ({ at: new Date(0), topics: lists++ === 0 ? ['a', 'b', 'c'] : ['a', 'b'] })),
        )
        .map('notes', ({ plan }) => plan.topics, llm({ prompt: itemPrompt, maxOutputTokens: 20 }))
        // A step whose key does not show what it read: it must run again when the map may differ.
        .step(
          'count',
          { needs: ['notes'] },
          fn(({ notes }) => notes.length),
        )
        .returns(({ count }) => count);
    const store = createMemoryRunStore();
    const first = setup(store);
    const done = await first.runtime.run(shrinking(), { topic: 't' }, { runId: 's' });
    expect([done.output, first.requests()]).toEqual([3, 3]);
    const second = setup(store);
    const { output, trace } = await second.runtime.run(shrinking(), { topic: 't' }, { runId: 's' });
    // Both items are the same and reused; the map's output is not, so `count` runs again.
    expect(sources(trace.items.notes!)).toEqual(['resumed', 'resumed']);
    expect(second.requests()).toBe(0);
    expect(trace.steps.find((record) => record.stepId === 'count')?.source).toBe('call');
    expect(output).toBe(2);
  });
});
