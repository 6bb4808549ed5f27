import { describe, expect, it } from 'vitest';
import { createMemoryRunStore } from '../stores/memory-run-store';
import type { ItemsEntry, JournalEntry, RunStore } from '../stores/run-store';
import type { StepRecord } from '../tracing/records';
import { createJournalWriter } from './journal-writer';

const mapEntry = (index: number): JournalEntry => ({
  type: 'map',
  at: index,
  stepId: `s${index}`,
  items: index,
});

/** A map item's record, on `model`. */
const itemRecord = (stepId: string, item: number, model = 'mercury-2'): StepRecord => ({
  runId: 'r',
  stepId,
  kind: 'llm',
  item,
  status: 'ok',
  model,
  lane: 'fast',
  provider: 'inception',
  attempt: 1,
  startMs: item,
  endMs: item + 2.5,
  durationMs: 2.5,
  usage: { inputTokens: 9, cachedInputTokens: 1, outputTokens: 13, reasoningTokens: 0 },
  costUsd: 0.000012 * (item + 1),
  source: 'call',
});

/** A memory store whose appends wait until `release()`; it records each append's entries. */
function gatedStore() {
  const inner = createMemoryRunStore();
  const appends: number[][] = [];
  const gates: (() => void)[] = [];
  const store: RunStore = {
    ...inner,
    async append(runId, entries) {
      appends.push(entries.map((entry) => entry.at));
      await new Promise<void>((resolve) => gates.push(resolve));
      await inner.append(runId, entries);
    },
  };
  const release = async () => {
    for (const gate of gates.splice(0)) gate();
    // Let the write settle and the next one start (every pending promise job runs first).
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { store, inner, appends, release };
}

describe('the journal writer', () => {
  it('writes the entries queued during a write together in the next one, in order', async () => {
    const { store, inner, appends, release } = gatedStore();
    const writer = createJournalWriter(store, 'r');
    const first = writer.write(mapEntry(1));
    await Promise.resolve();
    expect(appends).toEqual([[1]]);
    // While the first write runs, three more queue up: one write takes them all.
    const later = [2, 3, 4].map((index) => writer.write(mapEntry(index)));
    expect(writer.queued).toBe(3);
    await release();
    await first;
    expect(appends).toEqual([[1], [2, 3, 4]]);
    expect(writer.queued).toBe(0);
    const flushed = writer.flush();
    await release();
    await flushed;
    await Promise.all(later);
    expect((await inner.read('r'))?.map((entry) => entry.at)).toEqual([1, 2, 3, 4]);
  });

  it('says when the write under way ends, and flush waits for everything queued', async () => {
    const { store, inner, release } = gatedStore();
    const writer = createJournalWriter(store, 'r');
    writer.write(mapEntry(1));
    await Promise.resolve();
    let roomy = false;
    void writer.written().then(() => {
      roomy = true;
    });
    writer.write(mapEntry(2));
    let flushed = false;
    const flushing = writer.flush().then(() => {
      flushed = true;
    });
    await Promise.resolve();
    expect([roomy, flushed]).toEqual([false, false]);
    await release();
    expect([roomy, flushed]).toEqual([true, false]);
    await release();
    await flushing;
    expect((await inner.read('r'))?.length).toBe(2);
    // Nothing under way: room at once.
    await writer.written();
  });

  it('reports a failed write from flush and throwIfFailed, and keeps writing later entries', async () => {
    let fail = true;
    const inner = createMemoryRunStore();
    const store: RunStore = {
      ...inner,
      async append(runId, entries) {
        if (fail) throw new Error('disk full');
        await inner.append(runId, entries);
      },
    };
    const writer = createJournalWriter(store, 'r');
    const lost = writer.write(mapEntry(1));
    await expect(lost).rejects.toThrow('disk full');
    expect(() => writer.throwIfFailed()).toThrow('disk full');
    await expect(writer.flush()).rejects.toThrow('disk full');
    fail = false;
    await writer.write(mapEntry(2));
    expect((await inner.read('r'))?.map((entry) => entry.at)).toEqual([2]);
  });

  it('names its owner on every append, and reports the first refused one as it fails', async () => {
    const store = createMemoryRunStore();
    await store.lease('r', 'me', 60_000);
    const failures: unknown[] = [];
    const writer = createJournalWriter(store, 'r', {
      owner: 'me',
      onFailure: (error) => failures.push(error),
    });
    await writer.write(mapEntry(1));
    await store.release('r', 'me');
    await store.lease('r', 'someone', 60_000);
    const refused = writer.write(mapEntry(2));
    await expect(refused).rejects.toMatchObject({ reason: 'lease-lost', leaseOwner: 'someone' });
    await writer.write(mapEntry(3)).catch(() => {});
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ reason: 'lease-lost' });
    expect((await store.read('r'))?.map((entry) => entry.at)).toEqual([1]);
  });

  it('turns a store that throws at once into a failed write', async () => {
    const store: RunStore = {
      ...createMemoryRunStore(),
      append() {
        throw new Error('no connection');
      },
    };
    const writer = createJournalWriter(store, 'r');
    writer.write(mapEntry(1));
    await expect(writer.flush()).rejects.toThrow('no connection');
  });

  it('writes the map items of a step queued for one write as one items entry, in order', async () => {
    const { store, inner, appends, release } = gatedStore();
    const writer = createJournalWriter(store, 'r');
    const first = writer.write(mapEntry(1));
    await Promise.resolve();
    // While the first write runs: items of two steps interleaved, then the first map's end.
    writer.writeItem(itemRecord('a', 0), 'k0', { text: 'zero' }, 10);
    writer.writeItem(itemRecord('b', 0), 'kb', { text: 'other' }, 11);
    writer.writeItem(itemRecord('a', 2), 'k2', { text: 'two' }, 12);
    // A fallback's item: on another model, no lane.
    writer.writeItem({ ...itemRecord('a', 1, 'deepseek-flash'), lane: undefined }, 'k1', 1, 13);
    writer.write({ type: 'map', at: 14, stepId: 'a', items: 3 });
    expect(writer.queued).toBe(5);
    await release();
    await first;
    expect(appends).toEqual([[1], [13, 11, 14]]);
    const flushed = writer.flush();
    await release();
    await flushed;
    const entries = (await inner.read('r'))!;
    expect(entries.map((entry) => entry.type)).toEqual(['map', 'items', 'items', 'map']);
    const a = entries[1] as ItemsEntry;
    expect(a).toEqual({
      type: 'items',
      v: 2,
      at: 13,
      stepId: 'a',
      kind: 'llm',
      model: 'mercury-2',
      lane: 'fast',
      provider: 'inception',
      rows: [
        [0, 'k0', { text: 'zero' }, 0.000012, 9, 1, 13, 0, 1, 0, 2.5],
        [2, 'k2', { text: 'two' }, 0.000036, 9, 1, 13, 0, 1, 2, 2.5],
        [
          1,
          'k1',
          1,
          0.000024,
          9,
          1,
          13,
          0,
          1,
          1,
          2.5,
          { model: 'deepseek-flash', provider: 'inception' },
        ],
      ],
    });
    expect((entries[2] as ItemsEntry).rows.map((row) => row[1])).toEqual(['kb']);
  });
});
