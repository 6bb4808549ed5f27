import { HotpathError } from '../errors/hotpath-error';
import { RunStoreError } from '../errors/run-store-error';
import { itemRow, type OpenItemsEntry, openItemsEntry } from '../stores/journal-units';
import type { JournalEntry, RunStore } from '../stores/run-store';
import type { StepRecord } from '../tracing/records';

/**
 * Writes a run's journal entries by group commit: one `append` at a time, each carrying every
 * entry queued while the previous one was written (a file store writes them in one `write`,
 * PostgreSQL in one multi-row `INSERT`). No timer: a write starts as soon as the store is free.
 * The map items of a step queued for the same write share one items entry, one row each.
 */
export interface JournalWriter {
  /** Queues an entry; the promise follows the write of the batch it joined. */
  write(entry: JournalEntry): Promise<void>;
  /** Queues a finished map item (its record, key and output) as a row of its step's items entry. */
  writeItem(record: StepRecord, key: string, output: unknown, at: number): Promise<void>;
  /** Entries and map items queued for the next write (not yet handed to the store). */
  readonly queued: number;
  /** Resolves when the write under way ends (at once when none is): room for the next batch. */
  written(): Promise<void>;
  /** Resolves once everything queued is written; rejects with the first failed write. */
  flush(): Promise<void>;
  /** Throws the first failed write, if one failed. */
  throwIfFailed(): void;
}

/**
 * A store's failure while `doing` something for `runId`, as a `RunStoreError` (`store-failed`)
 * with the store's error as its cause; a hotpath error is left as it is.
 */
export function storeFailure(runId: string, doing: string, error: unknown): unknown {
  if (HotpathError.isInstance(error)) return error;
  return new RunStoreError({
    runId,
    reason: 'store-failed',
    message: `Run \`${runId}\`: the run store could not ${doing}: ${(error as Error)?.message ?? String(error)}`,
    cause: error,
  });
}

/** Options of {@link createJournalWriter}. */
export interface JournalWriterOptions {
  /** The lease holder each append is made for: the store refuses it once another holds the run. */
  readonly owner?: string;
  /** Called with the first failed write, as it fails (before `flush` would report it). */
  readonly onFailure?: (error: unknown) => void;
}

/** A writer for `runId`'s journal in `store`. */
export function createJournalWriter(
  store: RunStore,
  runId: string,
  options: JournalWriterOptions = {},
): JournalWriter {
  // One options object for every append: the fencing check costs the store a lookup per batch.
  const append = options.owner === undefined ? undefined : { owner: options.owner };
  let pending: Batch | undefined;
  let inFlight: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;

  const pump = () => {
    if (inFlight !== undefined || pending === undefined) return;
    const batch = pending;
    pending = undefined;
    let appended: Promise<void>;
    try {
      appended =
        append === undefined
          ? store.append(runId, batch.entries)
          : store.append(runId, batch.entries, append);
    } catch (error) {
      appended = Promise.reject(error);
    }
    inFlight = appended
      .then(
        () => batch.settle(),
        (cause: unknown) => {
          const error = storeFailure(runId, 'write its journal', cause);
          if (failure === undefined) {
            failure = { error };
            options.onFailure?.(error);
          }
          batch.settle(error);
        },
      )
      .finally(() => {
        inFlight = undefined;
        pump();
      });
  };

  const open = () => {
    if (pending === undefined) {
      pending = createBatch();
      // Entries queued in the same turn join this batch.
      if (inFlight === undefined) queueMicrotask(pump);
    }
    return pending;
  };

  return {
    write(entry) {
      const batch = open();
      batch.entries.push(entry);
      batch.queued++;
      return batch.written;
    },
    writeItem(record, key, output, at) {
      const batch = open();
      let items = batch.items.get(record.stepId);
      if (items === undefined) {
        items = openItemsEntry(record, at);
        batch.items.set(record.stepId, items);
        // In the batch where its first item came: before the step's own entries, which follow
        // its items.
        batch.entries.push(items);
      }
      items.rows.push(itemRow(items, record, key, output));
      items.at = at;
      batch.queued++;
      return batch.written;
    },
    get queued() {
      return pending?.queued ?? 0;
    },
    written() {
      return inFlight ?? Promise.resolve();
    },
    async flush() {
      for (;;) {
        if (inFlight !== undefined) await inFlight;
        else if (pending !== undefined) pump();
        else break;
      }
      if (failure !== undefined) throw failure.error;
    },
    throwIfFailed() {
      if (failure !== undefined) throw failure.error;
    },
  };
}

/** Entries written together, and the promise of their write. */
interface Batch {
  readonly entries: JournalEntry[];
  /** Each step's items entry in `entries`, filled as its items come. */
  readonly items: Map<string, OpenItemsEntry>;
  /** Entries and items queued. */
  queued: number;
  readonly written: Promise<void>;
  settle(error?: unknown): void;
}

function createBatch(): Batch {
  let settle!: (error?: unknown) => void;
  const written = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // A failed write is reported by `flush`; a batch nobody awaits must not be an unhandled rejection.
  written.catch(() => {});
  return { entries: [], items: new Map(), queued: 0, written, settle };
}
