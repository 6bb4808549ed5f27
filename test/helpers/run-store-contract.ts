import { afterEach, describe, expect, it } from 'vitest';
import { RunStoreError } from '../../src/errors/run-store-error';
import type {
  ItemRow,
  ItemsEntry,
  JournalEntry,
  RunStore,
  UnitEntry,
} from '../../src/stores/run-store';
import type { StepRecord } from '../../src/tracing/records';

/** Makes a fresh, empty store whose leases and cache read `now`. */
export type RunStoreFactory = (options: { now: () => number }) => Promise<RunStore>;

const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0 };

function record(stepId: string, costUsd: number, item?: number): StepRecord {
  return {
    runId: 'r',
    stepId,
    kind: 'llm',
    item,
    status: 'ok',
    model: 'mercury-2',
    attempt: 1,
    startMs: 0,
    endMs: 5,
    durationMs: 5,
    usage,
    costUsd,
    source: 'call',
  };
}

const start = (at: number, steps = 2, attempt = 1): JournalEntry => ({
  type: 'start',
  at,
  chain: 'c',
  definitionHash: 'd',
  inputHash: 'i',
  input: { question: 'q', nested: [1, { deep: true }] },
  steps,
  attempt,
});

const unit = (stepId: string, costUsd: number, item?: number): UnitEntry => ({
  type: 'unit',
  at: 2,
  stepId,
  item,
  key: `k-${stepId}-${item ?? ''}`,
  output: { text: `out ${stepId} ${item ?? ''}`, list: [1, 2, 3] },
  record: record(stepId, costUsd, item),
});

/** Map items of format 2: one row each, the last on a model of its own (and from the cache). */
const items = (at: number, list: readonly number[]): ItemsEntry => ({
  type: 'items',
  v: 2,
  at,
  stepId: 'items',
  kind: 'llm',
  model: 'mercury-2',
  lane: 'fast',
  provider: 'inception',
  rows: list.map((item, index): ItemRow => {
    const row = [
      item,
      `k-items-${item}`,
      { text: `out ${item}`, list: [item] },
      0.001,
      10,
      2,
      5,
      0,
      1,
      item * 1.5,
      4.25,
    ] as const;
    const own = { model: 'deepseek-flash', provider: 'deepseek', source: 'cache' } as const;
    return index === list.length - 1 ? [...row, own] : row;
  }),
});

/**
 * The behaviour every run store shares: the journal, summaries, leases and the cache. Each
 * store's test file calls this with a factory.
 */
export function runStoreContract(name: string, factory: RunStoreFactory): void {
  describe(`${name}: the run store contract`, () => {
    let time = 1_000_000;
    const now = () => time;
    const opened: RunStore[] = [];
    const open = async () => {
      const store = await factory({ now });
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close?.();
    });

    it('reads nothing for an unknown run', async () => {
      const store = await open();
      expect(await store.read('nobody')).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('reads back what was appended, in order, as copies', async () => {
      const store = await open();
      const first = unit('plan', 0.001);
      await store.append('run-a', [start(1), first]);
      await store.append('run-a', [unit('items', 0.002, 0), unit('items', 0.003, 1)]);
      (first.output as { text: string }).text = 'changed after append';
      const entries = await store.read('run-a');
      expect(entries?.map((entry) => entry.type)).toEqual(['start', 'unit', 'unit', 'unit']);
      expect((entries![1] as UnitEntry).output).toEqual({ text: 'out plan ', list: [1, 2, 3] });
      expect((entries![0] as Extract<JournalEntry, { type: 'start' }>).input).toEqual({
        question: 'q',
        nested: [1, { deep: true }],
      });
      expect(entries!.slice(2).map((entry) => (entry as UnitEntry).item)).toEqual([0, 1]);
      expect(await store.read('run-b')).toBeUndefined();
    });

    it('keeps a large batch whole and in order, and batches in the order they were appended', async () => {
      const store = await open();
      // What a group commit hands over: many entries in one append, then more appends after it.
      const batch = Array.from({ length: 500 }, (_, index) => unit('items', 0.001, index));
      await store.append('batched', [start(1), ...batch]);
      for (let index = 500; index < 520; index++) {
        await store.append('batched', [unit('items', 0.001, index)]);
      }
      await store.append('batched', [{ type: 'map', at: 3, stepId: 'items', items: 520 }]);
      const entries = (await store.read('batched'))!;
      expect(entries).toHaveLength(522);
      const items = entries.filter((entry): entry is UnitEntry => entry.type === 'unit');
      expect(items.map((entry) => entry.item)).toEqual(Array.from({ length: 520 }, (_, i) => i));
      expect(items[499]).toEqual(batch[499]);
      expect(entries.at(-1)?.type).toBe('map');
      expect((await store.list())[0]).toMatchObject({ runId: 'batched', items: 520, stepsDone: 1 });
    });

    it('keeps items entries whole, as copies, and counts each item once', async () => {
      const store = await open();
      const first = items(2, [0, 1, 2]);
      // Item 2 journaled again by a later write (its step ran again): one item, both costs.
      await store.append('rows', [start(1), first, items(3, [2, 3])]);
      (first.rows[0]![2] as { text: string }).text = 'changed after append';
      expect(await store.read('rows')).toEqual([start(1), items(2, [0, 1, 2]), items(3, [2, 3])]);
      await store.append('rows', [{ type: 'map', at: 4, stepId: 'items', items: 4 }]);
      const [summary] = await store.list();
      expect(summary).toMatchObject({ runId: 'rows', items: 4, stepsDone: 1, updatedAt: 4 });
      expect(summary!.costUsd).toBeCloseTo(0.005, 12);
    });

    it('keeps runs apart and summarises each, the latest updated first', async () => {
      const store = await open();
      await store.append('older', [start(10), unit('plan', 0.5)]);
      await store.append('newer', [
        start(20, 3),
        unit('plan', 0.25),
        unit('items', 0.125, 0),
        unit('items', 0.125, 1),
        { type: 'map', at: 30, stepId: 'items', items: 2 },
      ]);
      await store.append('older', [
        {
          type: 'end',
          at: 15,
          status: 'ok',
          trace: { runId: 'older' } as never,
        },
      ]);
      const list = await store.list();
      expect(list.map((run) => run.runId)).toEqual(['newer', 'older']);
      const [newer, older] = list;
      expect(newer).toMatchObject({
        chain: 'c',
        status: 'running',
        steps: 3,
        stepsDone: 2,
        items: 2,
        attempts: 1,
        startedAt: 20,
        updatedAt: 30,
      });
      expect(newer!.costUsd).toBeCloseTo(0.5, 12);
      expect(older).toMatchObject({ status: 'ok', stepsDone: 1, items: 0, updatedAt: 15 });
      expect(older!.costUsd).toBeCloseTo(0.5, 12);
    });

    it('summarises one run as the list does, its live lease included', async () => {
      const store = await open();
      await store.append('alone', [start(10, 3), unit('plan', 0.25), unit('items', 0.125, 0)]);
      await store.append('other', [start(40), unit('plan', 1)]);
      await store.lease('alone', 'me', 1000);
      const listed = (await store.list()).find((run) => run.runId === 'alone');
      expect(listed).toMatchObject({ stepsDone: 1, items: 1, leaseExpiresAt: time + 1000 });
      expect(await store.summary!('alone')).toEqual(listed);
      expect(await store.summary!('unknown')).toBeUndefined();
      time += 1001;
      expect((await store.summary!('alone'))?.leaseExpiresAt).toBeUndefined();
    });

    it('counts attempts and takes the status of the last one', async () => {
      const store = await open();
      await store.append('run', [
        start(1),
        { type: 'end', at: 2, status: 'error', trace: {} as never },
      ]);
      expect((await store.list())[0]).toMatchObject({ status: 'error', attempts: 1 });
      await store.append('run', [start(3, 2, 2)]);
      expect((await store.list())[0]).toMatchObject({ status: 'running', attempts: 2 });
    });

    it('gives a run one lease holder at a time until the lease lapses', async () => {
      const store = await open();
      expect(await store.lease('run', 'one', 1000)).toEqual({
        acquired: true,
        expiresAt: time + 1000,
      });
      expect(await store.lease('run', 'two', 1000)).toEqual({
        acquired: false,
        owner: 'one',
        expiresAt: time + 1000,
      });
      // Another run's lease is its own.
      expect((await store.lease('other', 'two', 1000)).acquired).toBe(true);
      time += 600;
      // The holder renews from now.
      expect(await store.lease('run', 'one', 1000)).toEqual({
        acquired: true,
        expiresAt: time + 1000,
      });
      time += 999;
      expect((await store.lease('run', 'two', 1000)).acquired).toBe(false);
      time += 2;
      expect(await store.lease('run', 'two', 500)).toEqual({
        acquired: true,
        expiresAt: time + 500,
      });
      // A released lease is free at once; releasing someone else's does nothing.
      await store.release('run', 'one');
      expect((await store.lease('run', 'one', 500)).acquired).toBe(false);
      await store.release('run', 'two');
      expect((await store.lease('run', 'one', 500)).acquired).toBe(true);
    });

    it('refuses an append from an owner that does not hold the lease, and writes none of it', async () => {
      const store = await open();
      const refusal = async (owner: string) => {
        const error = await store
          .append('fenced', [unit('late', 1), unit('late', 2)], { owner })
          .then(
            () => undefined,
            (caught: unknown) => caught,
          );
        expect(RunStoreError.isInstance(error) && error.reason).toBe('lease-lost');
        return error as RunStoreError;
      };
      // No lease at all.
      expect((await refusal('one')).leaseOwner).toBeUndefined();
      await store.lease('fenced', 'one', 1000);
      await store.append('fenced', [start(1), unit('plan', 0.5)], { owner: 'one' });
      expect(await refusal('two')).toMatchObject({
        runId: 'fenced',
        leaseOwner: 'one',
        leaseExpiresAt: time + 1000,
      });
      // A lease that lapsed is no longer held, even when no one took it since.
      time += 1000;
      expect((await refusal('one')).leaseOwner).toBeUndefined();
      await store.lease('fenced', 'two', 1000);
      const taken = await refusal('one');
      expect(taken).toMatchObject({ leaseOwner: 'two', leaseExpiresAt: time + 1000 });
      expect(taken.message).toContain('`two` holds it until');
      await store.append('fenced', [start(2, 2, 2)], { owner: 'two' });
      // Given up: no one holds it.
      await store.release('fenced', 'two');
      expect((await refusal('two')).leaseOwner).toBeUndefined();
      // Without an owner, an append is written whoever holds the lease.
      await store.lease('fenced', 'three', 1000);
      await store.append('fenced', [{ type: 'map', at: 3, stepId: 'items', items: 0 }]);
      expect((await store.read('fenced'))?.map((entry) => entry.type)).toEqual([
        'start',
        'unit',
        'start',
        'map',
      ]);
    });

    it('keeps taking appends from the holder that renews, another holder of another run aside', async () => {
      const store = await open();
      await store.lease('renewed', 'one', 1000);
      await store.lease('beside', 'two', 1000);
      await store.append('renewed', [start(1)], { owner: 'one' });
      time += 900;
      await store.lease('renewed', 'one', 1000);
      time += 900;
      await store.append('renewed', [unit('plan', 0.5)], { owner: 'one' });
      await store.append('beside', [start(2)], { owner: 'two' }).catch(() => {});
      expect((await store.read('renewed'))?.length).toBe(2);
      // `beside` lapsed at 1000 ms: its holder's append was refused.
      expect(await store.read('beside')).toBeUndefined();
    });

    it('lets exactly one of two simultaneous claims win', async () => {
      const store = await open();
      const results = await Promise.all(
        ['a', 'b', 'c', 'd'].map((owner) => store.lease('contended', owner, 1000)),
      );
      expect(results.filter((result) => result.acquired)).toHaveLength(1);
    });

    it('caches units by key, clears them all or only the old ones', async () => {
      const store = await open();
      expect(await store.getCached('k1')).toBeUndefined();
      const cached = {
        runId: 'r1',
        storedAt: time,
        output: { text: 'x' },
        record: record('s', 0.01),
      };
      await store.putCached('k1', cached);
      await store.putCached('k2', { ...cached, storedAt: time - 10_000 });
      expect(await store.getCached('k1')).toEqual(cached);
      await store.putCached('k1', { ...cached, output: { text: 'y' } });
      expect((await store.getCached('k1'))?.output).toEqual({ text: 'y' });
      expect(await store.clearCache({ olderThanMs: 5000 })).toBe(1);
      expect(await store.getCached('k2')).toBeUndefined();
      expect(await store.clearCache()).toBe(1);
      expect(await store.getCached('k1')).toBeUndefined();
      expect(await store.clearCache()).toBe(0);
    });
  });
}
