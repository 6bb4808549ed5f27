import { type EmulatorFaultKind, faultKinds } from './faults';

/** Counters of one emulated model. */
export interface EmulatorModelStats {
  readonly requests: number;
  /** Prompt tokens of the requests that produced output (what a provider bills). */
  readonly inputTokens: number;
  /** Output tokens sent (a cut response counts what it sent). */
  readonly outputTokens: number;
  /** The part of `inputTokens` served from the emulated prefix cache. */
  readonly cachedInputTokens: number;
  /** What the served tokens cost at the model's price sheet, each request at its start's window. */
  readonly costUsd: number;
  readonly faults: number;
}

/**
 * One request in the emulator's log (in-process and HTTP alike): who asked what and when, how it
 * ended, and what it was billed.
 */
export interface EmulatorRequestLogEntry {
  /** Its place among every request the emulator served, from 1. */
  readonly number: number;
  readonly model: string;
  /** The request's prompt text, all messages joined (what seeds the answer). */
  readonly prompt: string;
  /** When it began, on the emulator's clock. */
  readonly atMs: number;
  /** `Date.now()` when it began and when it ended (`undefined` while in flight). */
  readonly startedAt: number;
  readonly endedAt: number | undefined;
  /** Whether the whole answer went out (not failed, not cut, not abandoned by the client). */
  readonly completed: boolean;
  /** Billed tokens: prompt tokens once it produced output, output tokens sent; else 0. */
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the prompt cache. */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}

/** What an emulator has served so far: a snapshot, safe to keep. */
export interface EmulatorStats {
  /** Requests that reached a model (refused requests are counted in `rejected`). */
  readonly requests: number;
  /** Requests refused with a 4xx before reaching a model (bad JSON, unknown model, bad key). */
  readonly rejected: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  /** The bill for everything served, in US dollars. */
  readonly costUsd: number;
  /** Requests being answered now. */
  readonly inFlight: number;
  /** Streams open now (streaming requests between their first byte and their end). */
  readonly openStreams: number;
  /** The most requests in flight at once. */
  readonly peakConcurrency: number;
  /** Faults injected, by kind. */
  readonly faults: Readonly<Record<EmulatorFaultKind, number>>;
  /** The same counters per model id. */
  readonly models: Readonly<Record<string, EmulatorModelStats>>;
  /** Every request in arrival order, when the emulator was made with `requestLog: true`. */
  readonly requestLog?: readonly Readonly<EmulatorRequestLogEntry>[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Mutable counters behind {@link EmulatorStats}; the session updates them. */
export interface StatsRecorder {
  request(modelId: string, fault: EmulatorFaultKind | undefined): void;
  tokens(modelId: string, input: number, output: number, costUsd?: number, cached?: number): void;
  rejected(): void;
  inFlight(delta: 1 | -1): void;
  openStreams(delta: 1 | -1): void;
  /** Adds a request to the log; the session fills in its end and tokens. */
  log(entry: { number: number; model: string; prompt: string; atMs: number }): LogEntry;
  snapshot(): EmulatorStats;
}

/** A log entry as the session fills it in. */
export type LogEntry = Mutable<EmulatorRequestLogEntry>;

/** Creates zeroed counters, and the request log when `keepLog`. */
export function createStatsRecorder(keepLog = false): StatsRecorder {
  const requestLog: LogEntry[] = [];
  const totals = {
    requests: 0,
    rejected: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    inFlight: 0,
    openStreams: 0,
    peakConcurrency: 0,
  };
  const faults = Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<
    EmulatorFaultKind,
    number
  >;
  const models = new Map<string, Mutable<EmulatorModelStats>>();
  const model = (id: string) => {
    let entry = models.get(id);
    if (entry === undefined) {
      entry = {
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        costUsd: 0,
        faults: 0,
      };
      models.set(id, entry);
    }
    return entry;
  };
  return {
    request(modelId, fault) {
      totals.requests++;
      model(modelId).requests++;
      if (fault !== undefined) {
        faults[fault]++;
        model(modelId).faults++;
      }
    },
    tokens(modelId, input, output, costUsd = 0, cached = 0) {
      totals.inputTokens += input;
      totals.outputTokens += output;
      totals.cachedInputTokens += cached;
      totals.costUsd += costUsd;
      const entry = model(modelId);
      entry.inputTokens += input;
      entry.outputTokens += output;
      entry.cachedInputTokens += cached;
      entry.costUsd += costUsd;
    },
    rejected() {
      totals.rejected++;
    },
    inFlight(delta) {
      totals.inFlight += delta;
      totals.peakConcurrency = Math.max(totals.peakConcurrency, totals.inFlight);
    },
    openStreams(delta) {
      totals.openStreams += delta;
    },
    log(fields) {
      const entry: LogEntry = {
        ...fields,
        startedAt: Date.now(),
        endedAt: undefined,
        completed: false,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
      };
      if (keepLog) requestLog.push(entry);
      return entry;
    },
    snapshot: () => ({
      ...totals,
      faults: { ...faults },
      models: Object.fromEntries([...models].map(([id, entry]) => [id, { ...entry }])),
      ...(keepLog && { requestLog: requestLog.map((entry) => ({ ...entry })) }),
    }),
  };
}
