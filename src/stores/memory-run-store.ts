import { leaseLostError } from './lease-lost';
import type { CachedUnit, JournalEntry, LeaseResult, RunStore, RunSummary } from './run-store';
import { summarizeJournal } from './summarize';

/** Options of {@link createMemoryRunStore}. */
export interface MemoryRunStoreOptions {
  /** Test seam: the wall clock leases and the cache read. */
  _internal?: { now?: () => number };
}

/**
 * A run store in memory: for tests and for edge runtimes, where nothing outlives the process.
 * Entries are copied in and out as JSON, as the other stores do, so a caller's later edits to an
 * output never reach the journal. It keeps every run's journal, finished or not, for as long as
 * the store itself is kept: a long-lived process makes one per batch of runs, not one for its
 * life.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ models: models.fromEnv(), store: createMemoryRunStore() });
 * ```
 */
export function createMemoryRunStore(options: MemoryRunStoreOptions = {}): RunStore {
  const now = options._internal?.now ?? Date.now;
  const journals = new Map<string, string[]>();
  const leases = new Map<string, { owner: string; expiresAt: number }>();
  const cache = new Map<string, string>();
  const liveLease = (runId: string) => {
    const lease = leases.get(runId);
    return lease !== undefined && lease.expiresAt > now() ? lease : undefined;
  };

  return {
    async append(runId, entries, append) {
      if (append?.owner !== undefined && liveLease(runId)?.owner !== append.owner) {
        throw leaseLostError(runId, append.owner, leases.get(runId), now());
      }
      let lines = journals.get(runId);
      if (lines === undefined) {
        lines = [];
        journals.set(runId, lines);
      }
      for (const entry of entries) lines.push(JSON.stringify(entry));
    },
    async read(runId) {
      return journals.get(runId)?.map((line) => JSON.parse(line) as JournalEntry);
    },
    async summary(runId) {
      const lines = journals.get(runId);
      if (lines === undefined) return undefined;
      const entries = lines.map((line) => JSON.parse(line) as JournalEntry);
      return summarizeJournal(runId, entries, liveLease(runId)?.expiresAt);
    },
    async list() {
      const summaries: RunSummary[] = [];
      for (const [runId, lines] of journals) {
        const entries = lines.map((line) => JSON.parse(line) as JournalEntry);
        const summary = summarizeJournal(runId, entries, liveLease(runId)?.expiresAt);
        if (summary !== undefined) summaries.push(summary);
      }
      return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
    },
    async lease(runId, owner, leaseMs): Promise<LeaseResult> {
      const held = liveLease(runId);
      if (held !== undefined && held.owner !== owner) {
        return { acquired: false, owner: held.owner, expiresAt: held.expiresAt };
      }
      const expiresAt = now() + leaseMs;
      leases.set(runId, { owner, expiresAt });
      return { acquired: true, expiresAt };
    },
    async release(runId, owner) {
      if (leases.get(runId)?.owner === owner) leases.delete(runId);
    },
    async getCached(key) {
      const text = cache.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as CachedUnit);
    },
    async putCached(key, unit) {
      cache.set(key, JSON.stringify(unit));
    },
    async clearCache(clear = {}) {
      let dropped = 0;
      for (const [key, text] of cache) {
        const { storedAt } = JSON.parse(text) as CachedUnit;
        if (clear.olderThanMs === undefined || now() - storedAt > clear.olderThanMs) {
          cache.delete(key);
          dropped++;
        }
      }
      return dropped;
    },
  };
}
