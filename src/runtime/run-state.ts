import type { ChainDefinition, Lane, StepKind } from '../chain';
import type { Clock } from '../clock';
import { emptyUsage, type TokenUsage } from '../models/cost';
import type { ModelPool, PoolModel } from '../models/pool';
import type { EstimateStore } from '../scheduler/estimate-store';
import type { Plan } from '../scheduler/plan';
import type { DoneStep, RunningStep } from '../scheduler/replan-chain';
import { buildTrace } from '../tracing/build-trace';
import type { EventHub } from '../tracing/event-hub';
import type {
  CallSpan,
  RecordSource,
  RunTrace,
  StepRecord,
  TraceWarning,
} from '../tracing/records';
import type { Budget } from './budget';
import type { Journal } from './journal';
import type { MapExecutor } from './map-executor';
import type { SpeedFactors } from './model-speed';
import type { ReplanMode } from './replan';
import type { ModelGuards, Resilience } from './resilience';
import type { StepStreams } from './step-streams';

/** Everything one run shares between its steps. */
export interface RunState extends ModelGuards {
  readonly runId: string;
  readonly chain: ChainDefinition;
  /** The current plan: re-planning replaces it while the run goes on. */
  plan: Plan;
  /** How long the run waited for cheaper prices before its first step (`plan.deferred`). */
  deferredMs?: number;
  readonly history: EstimateStore;
  readonly replan: ReplanMode;
  /** How much slower or faster than their profiles the models have run so far. */
  readonly speed: SpeedFactors;
  /** The factors the current plan was made with. */
  plannedSpeed: SpeedFactors;
  /** Each step's fallback order, by step, planned model and lane. */
  readonly fallbackOrders: Map<string, readonly PoolModel[]>;
  /** What the re-planner holds fixed: steps done and steps running. */
  readonly progress: {
    readonly done: Map<string, DoneStep>;
    readonly running: Map<string, RunningStep>;
  };
  readonly pool: ModelPool;
  readonly clock: Clock;
  readonly hub: EventHub;
  /** Aborted when the caller cancels or a step fails: every call and pending step stops. */
  readonly controller: AbortController;
  /** The run's origin on the clock; record times are relative to it. */
  readonly originMs: number;
  readonly startedAt: number;
  readonly input: unknown;
  readonly outputs: Map<string, unknown>;
  /**
   * The input and every output so far, shared by the steps that read all earlier steps: they
   * start only after those are done, so what their types promise is there.
   */
  readonly context: Record<string, unknown>;
  readonly records: StepRecord[];
  readonly items: Map<string, StepRecord[]>;
  readonly warnings: TraceWarning[];
  readonly resilience: Resilience;
  /** The run's spending: a hard limit when `maxCostUsd` is set. */
  readonly budget: Budget;
  /** What hedges may spend. */
  readonly hedgeBudget: Budget;
  /** Jitter source for retry delays. */
  readonly random: () => number;
  /** Listeners of steps' text while it streams; absent in a plain `run`. */
  readonly streams?: StepStreams;
  /** The step a streamed run streams as its answer. */
  readonly answerStep?: string;
  /** Runs a model call inside the exporters' context for the step (OpenTelemetry span nesting). */
  readonly bindCall: CallBinder;
  /** Where the run's map items run, when not in this process. */
  readonly executor?: MapExecutor;
  /** The key under which the run shares its budget with other processes. */
  readonly budgetKey?: string;
  /** The run's journal, when the runtime has a store. */
  readonly journal?: Journal;
  /** Steps that waited for a cheaper price window before they started (`PlannedStep.deferred`). */
  held?: Map<string, { readonly items: number; readonly waitedMs: number }>;
}

/** Wraps a model call for a step; see `TraceExporter.bindCall`. */
export type CallBinder = <T>(
  step: { runId: string; stepId: string; item?: number },
  call: () => T,
) => T;

/** Milliseconds since the run started. */
export function elapsed(state: RunState): number {
  return state.clock.now() - state.originMs;
}

/** Builds a step record with the plan's prediction beside it and reports it. */
export function recordStep(
  state: RunState,
  fields: {
    stepId: string;
    kind: StepKind;
    item?: number;
    status: 'ok' | 'error';
    model?: string;
    endpoint?: string;
    roundTripMs?: number;
    lane?: Lane;
    startMs: number;
    firstTokenMs?: number;
    callStartMs?: number;
    firstChunkTokens?: number;
    usage?: TokenUsage;
    costUsd?: number;
    items?: number;
    error?: string;
    attempt?: number;
    queueWaitMs?: number;
    retries?: number;
    fallbacks?: readonly string[];
    hedge?: { model: string; endpoint?: string; won: boolean };
    plannedModel?: string;
    provider?: string;
    calls?: readonly CallSpan[];
    source?: RecordSource;
    replayed?: StepRecord['replayed'];
    byModel?: StepRecord['byModel'];
    /** Only ever `true`: callers leave it out otherwise, so records stay lean. */
    usageEstimated?: true;
    failure?: StepRecord['failure'];
    deferred?: StepRecord['deferred'];
  },
): StepRecord {
  const endMs = elapsed(state);
  const planned = fields.item === undefined ? state.plan.step(fields.stepId) : undefined;
  const record: StepRecord = {
    runId: state.runId,
    attempt: 1,
    source: 'call',
    ...fields,
    endMs,
    durationMs: endMs - fields.startMs,
    timeToFirstTokenMs:
      fields.firstTokenMs === undefined ? undefined : fields.firstTokenMs - fields.startMs,
    decodeMs: fields.firstTokenMs === undefined ? undefined : endMs - fields.firstTokenMs,
    usage: fields.usage ?? emptyUsage(),
    costUsd: fields.costUsd ?? 0,
    predicted: planned && {
      durationMs: planned.predicted.durationMs,
      costUsd: planned.predicted.costUsd,
    },
  };
  if (fields.item === undefined) state.records.push(record);
  else {
    const list = state.items.get(fields.stepId) ?? [];
    list.push(record);
    state.items.set(fields.stepId, list);
  }
  state.hub.emit('step:end', record);
  return record;
}

/** The run's trace so far. */
export function traceOf(state: RunState, status: 'ok' | 'error'): RunTrace {
  const trace = buildTrace({ ...state, status, durationMs: elapsed(state) });
  return state.journal === undefined ? trace : { ...trace, durable: { ...state.journal.totals } };
}
