import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { chain, fn } from '../chain';
import { createVirtualClock } from '../clock';
import { RunStoreError } from '../errors';
import { mercury2 } from '../models/catalog';
import { createEmulatedPool } from '../models/emulated-pool';
import { createMemoryRunStore } from '../stores/memory-run-store';
import type { JournalEntry, RunStore } from '../stores/run-store';
import { createRuntime } from './runtime';

const leaseMs = 3000;
const input = z.object({ items: z.array(z.number()) });

/**
 * One process's view of the same chain: its map items count as paid calls, and those from
 * `blockFrom` on wait for `release()` (a call under way while the process loses its lease).
 */
function processChain(blockFrom = Number.POSITIVE_INFINITY) {
  const calls: number[] = [];
  const aborted: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let blocked!: () => void;
  const started = new Promise<void>((resolve) => {
    blocked = resolve;
  });
  const definition = chain('leased', { input })
    .map(
      'items',
      ({ input }) => input.items,
      fn(async (item: number, { signal }) => {
        calls.push(item);
        if (item >= blockFrom) {
          blocked();
          await new Promise<void>((resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted.push(item);
              reject(signal.reason);
            });
            gate.then(resolve);
          });
        }
        return { item };
      }),
      { concurrency: 1 },
    )
    .returns(({ items }) => items.length);
  return { definition, calls, aborted, release, started };
}

/** Units a journal holds after its `attempt`th start entry, by map item. */
function itemsAfterStart(entries: readonly JournalEntry[], attempt: number): number[] {
  const at = entries.findIndex((entry) => entry.type === 'start' && entry.attempt === attempt);
  return entries
    .slice(at + 1)
    .flatMap((entry) => (entry.type === 'items' ? entry.rows.map((row) => row[0]) : []));
}

/** Waits until the first attempt's journal holds `items` (its group commit runs in microtasks). */
async function journaled(store: RunStore, items: readonly number[]): Promise<void> {
  for (let turn = 0; turn < 100; turn++) {
    const entries = await store.read('r');
    if (entries !== undefined && itemsAfterStart(entries, 1).length === items.length) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(itemsAfterStart((await store.read('r'))!, 1)).toEqual(items);
}

describe('a run that loses its lease', () => {
  let time = Date.UTC(2026, 11, 1, 12);
  const now = () => time;
  // Renewals run only when a test moves the timers; the rest of the run is not timed.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A runtime for process `owner` on `store`, its lease renewed by the fake timers. */
  const processOn = (store: RunStore, owner: string) =>
    createRuntime({
      models: createEmulatedPool({ profiles: [mercury2], clock: createVirtualClock() }),
      store,
      leaseMs,
      _internal: { now, generateRunId: () => owner },
    });

  /**
   * Process A runs a map of `items` items under run id `r`, the items from `blockFrom` on held
   * open; resolves once its first item started.
   */
  const startProcessA = async (store: RunStore, items: number, blockFrom: number) => {
    const a = processChain(blockFrom);
    const running = processOn(store, 'process-a').run(
      a.definition,
      { items: Array.from({ length: items }, (_, index) => index) },
      { runId: 'r' },
    );
    running.catch(() => {});
    await a.started;
    return { a, running };
  };

  it('stops, its call under way aborted, once a renewal fails past the lease', async () => {
    const inner = createMemoryRunStore({ _internal: { now } });
    let reachable = true;
    const store: RunStore = {
      ...inner,
      lease: (runId, owner, ms) =>
        reachable ? inner.lease(runId, owner, ms) : Promise.reject(new Error('ECONNREFUSED')),
    };
    const { a, running } = await startProcessA(store, 6, 2);
    await journaled(store, [0, 1]);
    reachable = false;
    // A failed renewal while the lease still runs is tried again at the next tick.
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    expect(a.aborted).toEqual([]);
    time += leaseMs;
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    expect(a.aborted).toEqual([2]);
    const error = await running.catch((caught: unknown) => caught);
    expect(RunStoreError.isInstance(error) && error.reason).toBe('lease-lost');
    expect((error as RunStoreError).message).toContain('could not be renewed');
    expect((error as RunStoreError).message).toContain('ECONNREFUSED');
    a.release();
    expect(a.calls).toEqual([0, 1, 2]);
    // What the attempt finished is kept for the next.
    expect(itemsAfterStart((await store.read('r'))!, 1)).toEqual([0, 1]);
  });

  it('stops once the lease lapses while a renewal has not answered', async () => {
    const inner = createMemoryRunStore({ _internal: { now } });
    let answering = true;
    const store: RunStore = {
      ...inner,
      lease: (runId, owner, ms) =>
        answering ? inner.lease(runId, owner, ms) : new Promise(() => {}),
    };
    const { a, running } = await startProcessA(store, 2, 1);
    answering = false;
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    time += leaseMs;
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    expect(a.aborted).toEqual([1]);
    await expect(running).rejects.toThrow('the renewal did not answer');
  });

  it('writes nothing after another process took the run over, and says who did and until when', async () => {
    const store = createMemoryRunStore({ _internal: { now } });
    const { a, running } = await startProcessA(store, 6, 2);
    await journaled(store, [0, 1]);
    // Process A freezes (a long GC pause, a suspended VM): no renewal runs, the lease lapses and
    // process B resumes the run.
    time += leaseMs + 1;
    const b = processChain();
    await expect(
      processOn(store, 'process-b').run(
        b.definition,
        { items: [0, 1, 2, 3, 4, 5] },
        { runId: 'r' },
      ),
    ).resolves.toMatchObject({ output: 6 });
    expect(b.calls).toEqual([2, 3, 4, 5]);
    await store.lease('r', 'process-b', leaseMs);
    // A wakes up: its call ends, and nothing it writes reaches the journal.
    a.release();
    const error = await running.catch((caught: unknown) => caught);
    expect(RunStoreError.isInstance(error) && error.reason).toBe('lease-lost');
    expect(error).toMatchObject({
      runId: 'r',
      leaseOwner: 'process-b',
      leaseExpiresAt: time + leaseMs,
    });
    const entries = (await store.read('r'))!;
    expect(itemsAfterStart(entries, 2)).toEqual([2, 3, 4, 5]);
    expect(entries.filter((entry) => entry.type === 'end')).toHaveLength(1);
    // Nor does it call the items after its own.
    expect(a.calls).toEqual([0, 1, 2]);
  });

  it('stops at the renewal that another holder refuses, naming it', async () => {
    const store = createMemoryRunStore({ _internal: { now } });
    const { a, running } = await startProcessA(store, 4, 2);
    time += leaseMs + 1;
    await store.lease('r', 'process-b', leaseMs);
    await vi.advanceTimersByTimeAsync(leaseMs / 3);
    expect(a.aborted).toEqual([2]);
    const error = await running.catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      reason: 'lease-lost',
      leaseOwner: 'process-b',
      leaseExpiresAt: time + leaseMs,
    });
    // The lease stays the new holder's.
    expect(await store.lease('r', 'process-c', leaseMs)).toMatchObject({ owner: 'process-b' });
  });
});
