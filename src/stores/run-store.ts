import type { Lane, StepKind } from '../chain';
import type { RecordSource, RunTrace, StepRecord } from '../tracing/records';

/** A run's status in a store: `running` until it ends (a crashed run stays `running`). */
export type StoredRunStatus = 'running' | 'ok' | 'error';

/** The first entry of every attempt at a run: what it runs and on what. */
export interface RunStartEntry {
  readonly type: 'start';
  /** Wall-clock time (`Date.now()`). */
  readonly at: number;
  readonly chain: string;
  /** Hash of the chain's definition (every step's). */
  readonly definitionHash: string;
  /** Hash of the validated input; a resume with another input is refused. */
  readonly inputHash: string;
  readonly input: unknown;
  /** Steps in the chain, for progress. */
  readonly steps: number;
  /** 1 for the first attempt, then one more per resume. */
  readonly attempt: number;
}

/**
 * What a unit entry keeps of a step's record (format 3): all of it but what reading rebuilds, the
 * run's id and the times that follow from `startMs`, `durationMs` and `firstTokenMs`. Entries of
 * earlier formats hold the whole record.
 */
export type UnitRecord = Omit<StepRecord, RebuiltField> & Partial<Pick<StepRecord, RebuiltField>>;

/** Record fields a unit entry of format 3 leaves out (see {@link UnitRecord}). */
export type RebuiltField = 'runId' | 'endMs' | 'timeToFirstTokenMs' | 'decodeMs';

/**
 * A finished step, journaled before what depends on it starts: its output and record. Journals
 * written before entry versions also hold one per map item (now in {@link ItemsEntry}).
 */
export interface UnitEntry {
  readonly type: 'unit';
  /** The entry's format: 3 keeps a {@link UnitRecord}; without `v`, the whole record. */
  readonly v?: 3;
  readonly at: number;
  readonly stepId: string;
  readonly item?: number;
  /**
   * What the output depends on: the step's definition with its upstream steps' (and for an item,
   * the item itself). A unit is reused only under the same key.
   */
  readonly key: string;
  readonly output: unknown;
  /** Model, usage, cost, timing and attempt, as the trace had them (read with `unitRecord`). */
  readonly record: UnitRecord;
}

/**
 * Finished map items of one step, journaled in the same write (format 2): what they share once,
 * then one row per item with what resume reads back (output, usage, cost, timing, model,
 * attempt, source) and no more. Each is written before what depends on its step starts.
 */
export interface ItemsEntry {
  readonly type: 'items';
  /** The entry's format: 2 (entries without `v` are the first format). */
  readonly v: 2;
  readonly at: number;
  readonly stepId: string;
  readonly kind: StepKind;
  /** The model of every row that names none (a row on another model names its own). */
  readonly model?: string;
  readonly lane?: Lane;
  readonly provider?: string;
  readonly rows: readonly ItemRow[];
}

/**
 * One map item of an {@link ItemsEntry}, as an array (no key names written per item). Its key is
 * what it depends on (as {@link UnitEntry.key}); `startMs` and `durationMs` as in its record.
 */
export type ItemRow = readonly [
  item: number,
  key: string,
  output: unknown,
  costUsd: number,
  inputTokens: number,
  cachedInputTokens: number,
  outputTokens: number,
  reasoningTokens: number,
  attempt: number,
  startMs: number,
  durationMs: number,
  /** Only on a row that differs from its entry: its own model, lane and provider, or source. */
  own?: ItemRowOwn,
];

/** What a row names itself: all of model, lane and provider (absent is none), and its source. */
export interface ItemRowOwn {
  readonly model?: string;
  readonly lane?: Lane;
  readonly provider?: string;
  /** @default 'call' */
  readonly source?: RecordSource;
}

/** A map step whose every item is done (for progress). */
export interface MapEntry {
  readonly type: 'map';
  readonly at: number;
  readonly stepId: string;
  readonly items: number;
}

/** The end of an attempt: its status and trace (the trace's map items are in the unit entries). */
export interface RunEndEntry {
  readonly type: 'end';
  readonly at: number;
  readonly status: 'ok' | 'error';
  readonly error?: string;
  readonly trace: RunTrace;
}

/** One line of a run's journal. */
export type JournalEntry = RunStartEntry | UnitEntry | ItemsEntry | MapEntry | RunEndEntry;

/** A row of `list()`: what `hotpath runs` prints. */
export interface RunSummary {
  readonly runId: string;
  readonly chain: string;
  readonly status: StoredRunStatus;
  readonly startedAt: number;
  readonly updatedAt: number;
  /** Attempts so far (1 plus the resumes). */
  readonly attempts: number;
  readonly steps: number;
  /** Steps done (a map counts once all its items are). */
  readonly stepsDone: number;
  /** Map items done. */
  readonly items: number;
  /** What the journaled units cost, over every attempt. */
  readonly costUsd: number;
  /** When the current lease lapses (wall clock), while one is held. */
  readonly leaseExpiresAt?: number;
}

/** The outcome of asking for a run's lease. */
export type LeaseResult =
  | { readonly acquired: true; readonly expiresAt: number }
  | { readonly acquired: false; readonly owner: string; readonly expiresAt: number };

/** A step result kept for the development cache. */
export interface CachedUnit {
  /** The run it was first computed in. */
  readonly runId: string;
  /** Wall-clock time it was stored. */
  readonly storedAt: number;
  readonly output: unknown;
  readonly record: StepRecord;
}

/** Options of `RunStore.append`. */
export interface AppendOptions {
  /**
   * The lease holder writing (fencing): the entries are refused, none written, with a
   * `RunStoreError` (`lease-lost`) unless `owner` holds the run's lease, unlapsed, as the write
   * lands. Without it the entries are written whoever holds the lease.
   */
  readonly owner?: string;
}

/**
 * Where runs are kept: each run's journal (append-only), a lease per run so that one process at
 * a time runs it, and the development cache. Every store passes the same contract tests.
 */
export interface RunStore {
  /**
   * Appends entries to a run's journal, in order; resolves once they are written. With
   * `options.owner`, only while that owner holds the run's lease (checked once per call, in the
   * same step as the write); a store written before the option may ignore it.
   */
  append(runId: string, entries: readonly JournalEntry[], options?: AppendOptions): Promise<void>;
  /** A run's journal in order, or `undefined` for an unknown run. */
  read(runId: string): Promise<readonly JournalEntry[] | undefined>;
  /** Every run, the most recently updated first. */
  list(): Promise<readonly RunSummary[]>;
  /**
   * One run's summary, as `list()` has it, without summarising the others (`hotpath runs show`
   * reads it); a store without it is listed whole instead.
   */
  summary?(runId: string): Promise<RunSummary | undefined>;
  /**
   * Takes the run's lease for `owner`, or renews it when `owner` holds it already, for `leaseMs`
   * from now; refused (with the holder and when it lapses) while someone else's lease runs.
   */
  lease(runId: string, owner: string, leaseMs: number): Promise<LeaseResult>;
  /** Gives the lease up, if `owner` holds it. */
  release(runId: string, owner: string): Promise<void>;
  /** A cached unit by key. */
  getCached(key: string): Promise<CachedUnit | undefined>;
  putCached(key: string, unit: CachedUnit): Promise<void>;
  /** Empties the cache; resolves to how many entries it dropped. */
  clearCache(options?: { olderThanMs?: number }): Promise<number>;
  /** Closes connections and file handles (stores that hold some). */
  close?(): Promise<void>;
}
