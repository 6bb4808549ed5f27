import type { StepKind } from '../chain';
import type { Plan } from '../scheduler/plan';
import type { RunTrace, StepRecord } from './records';

/** `chain:start` payload. */
export interface ChainStartEvent {
  readonly runId: string;
  readonly chain: string;
  readonly startedAt: number;
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
}

/** `step:first-token` payload. */
export interface StepFirstTokenEvent {
  readonly runId: string;
  readonly stepId: string;
  readonly item?: number;
  readonly model: string;
  readonly atMs: number;
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

/** Every event hotpath emits, with its payload: `runtime.on('step:end', (record) => ...)`. */
export interface HotpathEvents {
  'chain:start': [ChainStartEvent];
  plan: [PlanEvent];
  'step:start': [StepStartEvent];
  'step:first-token': [StepFirstTokenEvent];
  'step:end': [StepRecord];
  'step:error': [StepErrorEvent];
  'chain:end': [RunTrace];
}

/** An event name. */
export type HotpathEventName = keyof HotpathEvents;

/** A listener of event `E`. */
export type HotpathListener<E extends HotpathEventName> = (...payload: HotpathEvents[E]) => void;
