import type { Lane, StepKind } from '../chain';
import type { TokenUsage } from '../models/cost';
import type { Objective, PlanTotals } from '../scheduler/plan';
import type { RetryReason } from './events';

/** One model call or tool run inside an agent step. Times are ms from the run's start. */
export interface CallSpan {
  readonly kind: 'model' | 'tool';
  /** The model id, or the tool's name. */
  name: string;
  readonly startMs: number;
  endMs: number;
  readonly outputTokens?: number;
}

/**
 * Where a record's result came from: a model or function `call` in this run, `resumed` from the
 * run's journal (an earlier attempt paid for it), or the development `cache` (costs nothing).
 */
export type RecordSource = 'call' | 'resumed' | 'cache';

/** What one run reused from its journal and from the development cache. */
export interface DurableTotals {
  /** Steps and map items called in this attempt. */
  called: number;
  /** Steps and map items read back from earlier attempts of the run. */
  resumed: number;
  /** What the resumed units cost when they ran: counted in the run's `costUsd` as already paid. */
  resumedCostUsd: number;
  /** Steps and map items served by the development cache. */
  cached: number;
  /** What the cached units cost when they ran: not counted in the run's `costUsd`. */
  cachedCostUsd: number;
}

/** What happened to one step, or to one item of a map step. Times are ms from the run's start. */
export interface StepRecord {
  readonly runId: string;
  readonly stepId: string;
  readonly kind: StepKind;
  /** The item's index, for one item of a map. */
  readonly item?: number;
  readonly status: 'ok' | 'error';
  readonly model?: string;
  /** Where `model` answered, for a model at several places (`eu-west`). */
  readonly endpoint?: string;
  /**
   * The round trip this call measured to `endpoint`: its first token's wait beyond the model's
   * own first-token time and prefill (the profile's).
   */
  readonly roundTripMs?: number;
  readonly lane?: Lane;
  /** The attempts made: 0 when the budget refused the first call before it was sent. */
  readonly attempt: number;
  readonly startMs: number;
  /** When the first output token arrived (LLM calls). */
  readonly firstTokenMs?: number;
  readonly endMs: number;
  readonly durationMs: number;
  /**
   * Time to first token (LLM calls): from `startMs`, so what the step waited for, queue wait,
   * retries, fallbacks and a hedge's wait included. The answering call's own is
   * `firstTokenMs - callStartMs`.
   */
  readonly timeToFirstTokenMs?: number;
  /**
   * When the call that answered was sent (LLM calls): after its queue wait and whatever came
   * before it (failed attempts, Retry-After waits, models given up on, a hedge's wait). What the
   * history learns of the model's first token and speed is timed from here.
   */
  readonly callStartMs?: number;
  /** Time spent waiting for a concurrency or rate-limit slot before the call started. */
  readonly queueWaitMs?: number;
  /** Time from the first token to the end (LLM calls). */
  readonly decodeMs?: number;
  /**
   * Output tokens that arrived with the first token (LLM calls; a diffusion model's first block
   * is many), counted at about 4 characters a token: made before `decodeMs` began, so output
   * speed is the rest of `usage.outputTokens` over `decodeMs`.
   */
  readonly firstChunkTokens?: number;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  /** For a map: how many items it ran. */
  readonly items?: number;
  /**
   * For a map whose last items waited for a cheaper price window (`PlannedStep.deferred`): how
   * many were held, and how long they waited, in milliseconds (counted in `durationMs`).
   */
  readonly deferred?: { readonly items: number; readonly waitedMs: number };
  /** The plan's prediction for this step, beside what happened. */
  readonly predicted?: { readonly durationMs: number; readonly costUsd: number };
  /** The error message, when the step failed. */
  readonly error?: string;
  /**
   * For a step that failed on a model call: how its last call failed, when that was a failure
   * worth retrying (`rate-limit` for a 429, `server-error`, `timeout`, `stream-cut`, `network`).
   */
  readonly failure?: RetryReason;
  /**
   * `true` when some of `usage` was counted from the text received rather than reported by the
   * provider: a call cancelled, cut or timed out mid-stream, counted at about 4 characters a
   * token. Providers bill what they generated, which can be more than arrived: read `costUsd`
   * as a lower bound then.
   */
  readonly usageEstimated?: boolean;
  /**
   * The usage of the call that answered, when `usage` counts other calls too (one cut mid-stream
   * and tried again, a hedge's loser): what that model read and wrote for this answer.
   */
  readonly callUsage?: TokenUsage;
  /** The model the plan chose, when a fallback or hedge ended on another one (`model`). */
  readonly plannedModel?: string;
  /** Calls tried again on the same model before this record's outcome (see `step:retry`). */
  readonly retries?: number;
  /** Models given up on, in order, before `model` (see `step:fallback`). */
  readonly fallbacks?: readonly string[];
  /** The model that raced this step, and whether it won (see `step:hedge`). */
  readonly hedge?: { readonly model: string; readonly endpoint?: string; readonly won: boolean };
  /** The provider of `model`, as in `gen_ai.provider.name` (`inception`, `deepseek`). */
  readonly provider?: string;
  /** An agent's model calls and tool runs, in order. */
  readonly calls?: readonly CallSpan[];
  /**
   * When attempts on more than one model were billed (a fallback after a call that streamed, a
   * hedge): `usage` and `costUsd` split by the model that served each attempt, at its prices.
   */
  readonly byModel?: Readonly<
    Record<string, { readonly usage: TokenUsage; readonly costUsd: number }>
  >;
  /** The step's output (exporters leave it out of logs unless asked). */
  readonly output?: unknown;
  /** Where the result came from. @default 'call' */
  readonly source?: RecordSource;
  /**
   * For a `resumed` or `cache` record: the run that computed it, how long it took and what it
   * cost then (a cache record's own `costUsd` is 0).
   */
  readonly replayed?: {
    readonly runId: string;
    readonly durationMs: number;
    readonly costUsd: number;
  };
}

/** Something that went wrong beside the chain itself: a listener or exporter that threw. */
export interface TraceWarning {
  readonly source: string;
  readonly message: string;
}

/** What one model did in a run: calls, the time the run spent waiting on it, tokens and cost. */
export interface ModelTotals {
  /** Calls made in this attempt (records read back from a store count 0). */
  readonly calls: number;
  /** Wall time with at least one call to this model in flight (overlapping calls count once). */
  readonly waitMs: number;
  /** The calls' durations added up (overlapping calls count each). */
  readonly callMs: number;
  readonly usage: TokenUsage;
  readonly costUsd: number;
}

/** What the run's token counts would have cost on other models. */
export interface BaselineCost {
  /** Every model-calling step on its fastest candidate, as the plan's `allFast` baseline. */
  readonly allFast: number;
  /** Every model-calling step on its cheapest candidate, as the plan's `allCheap` baseline. */
  readonly allCheap: number;
  /** Every call on one reference model (`claude-haiku-4-5` by default). */
  readonly reference?: { readonly model: string; readonly costUsd: number };
}

/** The record of one run: its steps, totals, critical path and the plan's predictions. */
export interface RunTrace {
  readonly runId: string;
  readonly chain: string;
  readonly status: 'ok' | 'error';
  /** Wall-clock start (`Date.now()`), for logs. */
  readonly startedAt: number;
  /** From the run's start to its end, in milliseconds (`plan.durationMs` is the prediction). */
  readonly durationMs: number;
  /**
   * How long the run waited before its first step for cheaper prices (see `plan.deferred`), in
   * milliseconds; counted in `durationMs`.
   */
  readonly deferredMs?: number;
  readonly costUsd: number;
  readonly usage: TokenUsage;
  /**
   * `true` when a record's usage was counted from the text received (a call cancelled, cut or
   * timed out mid-stream; see `StepRecord.usageEstimated`): `costUsd` is then a lower bound.
   */
  readonly usageEstimated?: boolean;
  /**
   * Model calls this attempt made (map items count one each). Records read back from a store
   * (`source: 'resumed'` or `'cache'`) made none and count 0 here, though a resumed record's cost
   * is in `costUsd`; `durable` counts them.
   */
  readonly calls: number;
  /** Step records (map steps with their items inside `items`), in the order they ended. */
  readonly steps: readonly StepRecord[];
  /** Map items, by map step id. */
  readonly items: Readonly<Record<string, readonly StepRecord[]>>;
  /** The measured critical path: from the last step to end back through what it waited on. */
  readonly criticalPath: readonly string[];
  readonly plan: PlanTotals & { readonly objective: Objective };
  readonly warnings: readonly TraceWarning[];
  /** Per model id: calls, time waited on it, tokens and cost. */
  readonly models?: Readonly<Record<string, ModelTotals>>;
  /** The same token counts priced on the baselines, so the saving can be stated. */
  readonly baselines?: BaselineCost;
  /**
   * For a streamed run: the step streamed as the answer, and when its first token came, from the
   * run's start (what the user waited for).
   */
  readonly answer?: { readonly stepId: string; readonly firstTokenMs?: number };
  /** For a run with a store: what it called, resumed and took from the cache. */
  readonly durable?: DurableTotals;
  /**
   * For a failed run: the class of the error it rejects with (`StepError`, `RunAbortedError`,
   * `BudgetExceededError`, ...) and its message (secrets masked).
   */
  readonly error?: RunFailure;
}

/** Why a run failed: {@link RunTrace.error}. */
export interface RunFailure {
  /** The error's class name (`name`), `_OTHER` for a thrown value that is no error. */
  readonly type: string;
  readonly message: string;
}

/**
 * What a run that has not ended left in its store's journal, as `hotpath runs show` reads it: the
 * steps and map items it finished, their totals, and no plan (the journal keeps none).
 */
export interface UnfinishedRunTrace extends Omit<RunTrace, 'status' | 'plan'> {
  /** `running` while a process holds the run's lease, `interrupted` once the lease lapsed. */
  readonly status: 'running' | 'interrupted';
  /**
   * The maps it was part way through: their records in `steps` are put together from the items
   * that finished (`items` counts those), as are the records of the maps it finished.
   */
  readonly partialSteps: readonly string[];
}
