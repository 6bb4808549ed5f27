import type { ChainDefinition } from '../chain';
import { RunStoreError } from '../errors/run-store-error';
import { hashValue } from '../stores/hash';
import { type JournaledUnit, journaledUnits } from '../stores/journal-units';
import type { JournalEntry, RunStore } from '../stores/run-store';
import type { DurableTotals, RunTrace } from '../tracing/records';
import { createJournalWriter, type JournalWriter, storeFailure } from './journal-writer';
import type { RunState } from './run-state';
import { computeStepKeys, type StepKeys } from './step-keys';

/** How long a run's lease lasts unless renewed, in ms; the holder renews it every third of that. */
export const defaultLeaseMs = 15_000;

/** The development cache: on, and how old a stored result may be. */
export interface CacheSetting {
  /** Stored results older than this are ignored (and replaced). @default no limit */
  readonly ttlMs?: number;
}

/** What opening a run's journal needs. */
export interface OpenJournalOptions {
  readonly store: RunStore;
  readonly runId: string;
  readonly chain: ChainDefinition;
  readonly input: unknown;
  readonly leaseMs: number;
  /** Who takes the lease: one id per attempt. */
  readonly owner: string;
  /** The cache for steps that do not say otherwise; `undefined` is off. */
  readonly cache: CacheSetting | undefined;
  readonly now: () => number;
}

/**
 * One attempt at a durable run: what earlier attempts journaled (reused where its key still
 * matches), the entries to write (group-committed by a {@link JournalWriter}, flushed before any
 * step that needs another starts and before the run ends), the lease and its renewal, and what
 * was reused.
 */
export interface Journal {
  readonly runId: string;
  readonly store: RunStore;
  readonly keys: StepKeys;
  readonly cache: CacheSetting | undefined;
  readonly now: () => number;
  /** Units journaled by earlier attempts, by `stepId` or `stepId#item` (the latest wins). */
  readonly stored: ReadonlyMap<string, JournaledUnit>;
  /**
   * Steps that ran again in this attempt (a unit called, not reused; or a map whose items were
   * reused while a step it reads ran again): what reads them must run again.
   */
  readonly called: Set<string>;
  readonly totals: DurableTotals;
  /** Where entries go: `write`, `flush`, the queue's length. */
  readonly writer: JournalWriter;
  /** Queues an entry (`writer.write`). */
  write(entry: JournalEntry): Promise<void>;
  /** Queues a cache write. */
  cachePut(key: string, entry: Parameters<RunStore['putCached']>[1]): void;
  /** Resolves once everything queued is written (and the cache writes are done). */
  flush(): Promise<void>;
  /** Wires the journal to the run: a lost lease aborts it, the calls under way with it. */
  attach(state: RunState): void;
  /** Keeps the run's trace for the end entry (called as the run emits `chain:end`). */
  ended(trace: RunTrace): void;
  /**
   * Writes the end entry, stops renewing and gives the lease up; rejects with `lost` once the
   * lease was lost (and then writes no end entry and gives nothing up).
   */
  end(status: 'ok' | 'error', error?: unknown): Promise<void>;
  /**
   * Set when the lease was lost while running: a renewal refused (another process holds the
   * run), one that failed or did not answer before the lease lapsed, or an append the store
   * refused because this attempt no longer holds it.
   */
  lost: RunStoreError | undefined;
}

/**
 * Takes the run's lease, reads what earlier attempts journaled, checks that they ran the same
 * chain on the same input, and writes this attempt's start entry.
 */
export async function openJournal(options: OpenJournalOptions): Promise<Journal> {
  const { store, runId, chain, owner, leaseMs } = options;
  const claim = await store.lease(runId, owner, leaseMs).catch((error: unknown) => {
    throw storeFailure(runId, 'take its lease', error);
  });
  if (!claim.acquired) {
    const left = Math.max(0, claim.expiresAt - options.now());
    throw new RunStoreError({
      runId,
      reason: 'lease-held',
      leaseExpiresAt: claim.expiresAt,
      leaseOwner: claim.owner,
      message: `Run \`${runId}\` is running elsewhere (\`${claim.owner}\` holds its lease) until ${new Date(claim.expiresAt).toISOString()}, ${(left / 1000).toFixed(1)} s from now; resume it once the lease lapses, or pass another \`runId\``,
    });
  }
  try {
    const [entries, keys] = await Promise.all([
      store.read(runId).catch((error: unknown) => {
        throw storeFailure(runId, 'read its journal', error);
      }),
      computeStepKeys(chain),
    ]);
    const inputHash = hashValue(options.input);
    const start = entries?.find((entry) => entry.type === 'start');
    if (start !== undefined) checkSameRun(runId, start, chain.name, inputHash);
    const stored = journaledUnits(runId, entries ?? []);
    let attempts = 0;
    for (const entry of entries ?? []) if (entry.type === 'start') attempts++;
    const journal = createJournal(options, keys, stored, claim.expiresAt);
    journal.write({
      type: 'start',
      at: options.now(),
      chain: chain.name,
      definitionHash: keys.definitionHash,
      inputHash,
      input: options.input,
      steps: chain.steps.length,
      attempt: attempts + 1,
    });
    await journal.flush();
    return journal;
  } catch (error) {
    await store.release(runId, owner).catch(() => {});
    throw error;
  }
}

function checkSameRun(
  runId: string,
  start: Extract<JournalEntry, { type: 'start' }>,
  chain: string,
  inputHash: string,
): void {
  if (start.chain !== chain) {
    throw new RunStoreError({
      runId,
      reason: 'chain-mismatch',
      message: `Expected run \`${runId}\` to be resumed by the chain it started with, \`${start.chain}\`, got \`${chain}\`; pass another \`runId\``,
    });
  }
  if (start.inputHash !== inputHash) {
    throw new RunStoreError({
      runId,
      reason: 'input-mismatch',
      message: `Expected run \`${runId}\` to be resumed with the input it started with (hash \`${start.inputHash.slice(0, 12)}\`), got another input (hash \`${inputHash.slice(0, 12)}\`); pass the same input, or another \`runId\``,
    });
  }
}

function createJournal(
  options: OpenJournalOptions,
  keys: StepKeys,
  stored: Map<string, JournaledUnit>,
  leaseExpiresAt: number,
): Journal {
  const { store, runId, owner, leaseMs } = options;
  // Appends name the holder, so a store refuses them once another process took the run over
  // (this one paused past its lease): the first refusal stops the run as a lost renewal does.
  const writer = createJournalWriter(store, runId, {
    owner,
    onFailure: (error) => {
      if (RunStoreError.isInstance(error) && error.reason === 'lease-lost') lose(error);
    },
  });
  /** When the lease last taken or renewed lapses. */
  let heldUntil = leaseExpiresAt;
  let renewing = false;
  let caching: Promise<void> = Promise.resolve();
  let renewTimer: ReturnType<typeof setInterval> | undefined;
  let state: RunState | undefined;
  let trace: RunTrace | undefined;

  const journal: Journal = {
    runId,
    store,
    keys,
    cache: options.cache,
    now: options.now,
    stored,
    called: new Set(),
    totals: { called: 0, resumed: 0, resumedCostUsd: 0, cached: 0, cachedCostUsd: 0 },
    lost: undefined,
    writer,
    write: writer.write,
    cachePut(key, entry) {
      caching = caching
        .then(() => store.putCached(key, entry))
        .catch(() => {
          // A cache that cannot be written only costs a later run a call.
        });
    },
    async flush() {
      await writer.flush();
      await caching;
    },
    attach(run) {
      state = run;
      if (journal.lost !== undefined) {
        run.controller.abort(journal.lost);
        return;
      }
      renewTimer = setInterval(renew, Math.max(1, Math.floor(leaseMs / 3)));
      (renewTimer as { unref?: () => void }).unref?.();
    },
    ended(ended) {
      trace = ended;
    },
    async end(status, error) {
      stopRenewing();
      state = undefined;
      try {
        if (trace !== undefined && journal.lost === undefined) {
          journal.write({
            type: 'end',
            at: options.now(),
            status,
            error: error === undefined ? undefined : String((error as Error)?.message ?? error),
            trace: { ...trace, items: {} },
          });
        }
        await journal.flush();
      } finally {
        if (journal.lost === undefined) await store.release(runId, owner).catch(() => {});
      }
      // A run that lost its lease while it ran ends with that, even when its steps all ended.
      if (journal.lost !== undefined) throw journal.lost;
    },
  };

  const stopRenewing = () => {
    if (renewTimer !== undefined) clearInterval(renewTimer);
    renewTimer = undefined;
  };
  /** Stops the run: the first loss wins, and the calls under way are aborted with it. */
  const lose = (error: RunStoreError) => {
    if (journal.lost !== undefined) return;
    journal.lost = error;
    stopRenewing();
    state?.controller.abort(error);
  };
  /** The lease lapsed before a renewal answered: another process may hold the run by now. */
  const lapsed = (cause: unknown) =>
    new RunStoreError({
      runId,
      reason: 'lease-lost',
      leaseExpiresAt: heldUntil,
      message: `Run \`${runId}\` lost its lease: it could not be renewed before it lapsed at ${new Date(heldUntil).toISOString()} (${cause === undefined ? 'the renewal did not answer' : ((cause as Error)?.message ?? String(cause))}); this attempt stops so that two never run at once`,
      cause,
    });

  const renew = () => {
    if (journal.lost !== undefined) return;
    if (renewing) {
      // A renewal still under way (a store that does not answer) once the lease has lapsed.
      if (options.now() >= heldUntil) lose(lapsed(undefined));
      return;
    }
    renewing = true;
    // Through a promise: a store that throws instead of rejecting must not throw in a timer.
    Promise.resolve()
      .then(() => store.lease(runId, owner, leaseMs))
      .then(
        (claim) => {
          renewing = false;
          if (claim.acquired && journal.lost !== undefined) {
            // A renewal that answered after this attempt stopped: the run is free to resume now.
            store.release(runId, owner).catch(() => {});
            return;
          }
          if (claim.acquired) {
            heldUntil = claim.expiresAt;
            return;
          }
          lose(
            new RunStoreError({
              runId,
              reason: 'lease-lost',
              leaseOwner: claim.owner,
              leaseExpiresAt: claim.expiresAt,
              message: `Run \`${runId}\` lost its lease to \`${claim.owner}\` (it was not renewed within \`leaseMs\` = ${leaseMs}), which holds it until ${new Date(claim.expiresAt).toISOString()}; this attempt stops so that two never run at once`,
            }),
          );
        },
        (error: unknown) => {
          renewing = false;
          // A failed renewal is tried again at the next tick while the lease runs; past it, another
          // process may have taken the run over, and this one cannot tell.
          if (options.now() >= heldUntil) lose(lapsed(error));
        },
      );
  };
  return journal;
}
