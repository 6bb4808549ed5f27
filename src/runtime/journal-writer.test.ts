import { describe, expect, it } from 'vitest';
import { createMemoryRunStore } from '../stores/memory-run-store';
import type { JournalEntry, RunStore } from '../stores/run-store';
import { createJournalWriter } from './journal-writer';

const mapEntry = (index: number): JournalEntry => ({
  type: 'map',
  at: index,
  stepId: `s${index}`,
  items: index,
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
});
