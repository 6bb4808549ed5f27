import type { Lane, StepKind } from '../chain';
import type { Plan } from '../scheduler/plan';
import type { RunTrace, StepRecord } from './records';

/** `chain:start` payload. */
export interface ChainStartEvent {
  readonly runId: string;
  readonly chain: string;
  readonly startedAt: number;
  /** The validated chain input (exporters leave it out of logs unless asked). */
  readonly input?: unknown;
}

/** `plan` payload. */
export interface PlanEvent {
  readonly runId: string;
  readonly plan: Plan;
}

/** `step:start` payload. */
export interface StepStartEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly kind: StepKind;
  readonly item?: number;
  readonly model?: string;
  readonly atMs: number;
  /** The provider of `model`, as in `gen_ai.provider.name`. */
  readonly provider?: string;
  /** For a map: how many items it will run (live views show done/total). */
  readonly items?: number;
  /** The planned lane, so live views can colour the step before it ends. */
  readonly lane?: Lane;
  /** The resolved prompt or messages (exporters leave them out of logs unless asked). */
  readonly prompt?: unknown;
}

/**
 * `step:first-token` payload: once per call that streams, so again after a call cut mid-stream is
 * tried again; the last one of a step is its answering call's, the one its record keeps.
 */
export interface StepFirstTokenEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly item?: number;
  readonly model: string;
  readonly atMs: number;
  /**
   * From the step's (or item's) start, `step:start`'s `atMs`, as `StepRecord.timeToFirstTokenMs`:
   * what the step waited for, its queue waits, failed calls, backoff, fallbacks and a hedge's wait
   * included.
   */
  readonly timeToFirstTokenMs: number;
}

/** `step:error` payload. */
export interface StepErrorEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly item?: number;
  readonly model?: string;
  readonly error: unknown;
}

/**
 * Why a call is tried again: `timeout` when it gave no first token or no answer in time, `stall`
 * when its stream went quiet for longer than `timeouts.idleMs` after it had started.
 */
export type RetryReason =
  | 'rate-limit'
  | 'server-error'
  | 'timeout'
  | 'stall'
  | 'stream-cut'
  | 'network';

/** `step:retry` payload: a call failed and will be tried again on the same model. */
export interface StepRetryEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly item?: number;
  readonly model: string;
  /** The attempt about to start (2 for the first retry). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: RetryReason;
  readonly error: string;
}

/** `step:fallback` payload: the step moves to another model. */
export interface StepFallbackEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly item?: number;
  readonly from: string;
  readonly to: string;
  /** The endpoints, for models at several places (`from` and `to` can be one model). */
  readonly fromEndpoint?: string;
  readonly toEndpoint?: string;
  readonly reason: string;
  /** How the last call on `from` failed; absent when none was made (its circuit was open). */
  readonly failure?: RetryReason;
}

/** `step:hedge` payload: a second model raced the first (`started`), and how it ended. */
export interface StepHedgeEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly item?: number;
  readonly primary: string;
  readonly hedge: string;
  /** The endpoints, for models at several places (the hedge can be the same model elsewhere). */
  readonly primaryEndpoint?: string;
  readonly hedgeEndpoint?: string;
  readonly outcome: 'started' | 'hedge-won' | 'primary-won';
  readonly atMs: number;
}

/** `replan` payload: the steps not yet started were planned again against measured times. */
export interface ReplanEvent {
  readonly runId: string;
  readonly atMs: number;
  /** The step whose end triggered the re-plan. */
  readonly after: string;
  /** Steps whose model changed. */
  readonly changes: readonly {
    readonly stepId: string;
    readonly from?: string;
    readonly to?: string;
  }[];
  readonly plan: Plan;
}

/** Every event hotpath emits, with its payload: `runtime.on('step:end', (record) => ...)`. */
export interface HotpathEvents {
  'chain:start': [ChainStartEvent];
  plan: [PlanEvent];
  'step:start': [StepStartEvent];
  'step:first-token': [StepFirstTokenEvent];
  'step:end': [StepRecord];
  'step:retry': [StepRetryEvent];
  'step:fallback': [StepFallbackEvent];
  'step:hedge': [StepHedgeEvent];
  'step:error': [StepErrorEvent];
  replan: [ReplanEvent];
  'chain:end': [RunTrace];
}

/** An event name. */
export type HotpathEventName = keyof HotpathEvents;

/** A listener of event `E`. */
export type HotpathListener<E extends HotpathEventName> = (...payload: HotpathEvents[E]) => void;

// A record over the event map: adding an event there without listing it here is a type error.
const everyEvent: Record<HotpathEventName, true> = {
  'chain:start': true,
  plan: true,
  'step:start': true,
  'step:first-token': true,
  'step:end': true,
  'step:retry': true,
  'step:fallback': true,
  'step:hedge': true,
  'step:error': true,
  replan: true,
  'chain:end': true,
};

/** Every event name, in the order a run first emits them. */
export const hotpathEventNames = Object.keys(everyEvent) as readonly HotpathEventName[];
