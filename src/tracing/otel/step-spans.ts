import { type Context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { Plan } from '../../scheduler/plan';
import type { StepStartEvent } from '../events';
import type { StepRecord } from '../records';
import { stepAttributes } from './attributes';
import { stepErrorType } from './error-type';
import type { WallTime } from './wall-time';

/** A step's (or map item's) span while it runs. */
export interface StepSpan {
  readonly span: Span;
  readonly context: Context;
  readonly start: StepStartEvent;
  /** Wall-clock start, so that a child (a map item) never starts before it. */
  readonly startTime: number;
}

/** One run's spans. */
export interface RunSpans {
  readonly span: Span;
  readonly context: Context;
  readonly time: WallTime;
  plan?: Plan;
  /**
   * The open spans of each step or map item, oldest first: a pipelined map starts an item again
   * (its producer changed it) before the stopped run of it has ended.
   */
  readonly steps: Map<string, StepSpan[]>;
  /** What each failed step threw (`step:error`), until its `step:end`, which comes next. */
  readonly errors: Map<string, unknown>;
}

export const keyOf = (stepId: string, item?: number) =>
  item === undefined ? stepId : `${stepId}#${item}`;

/** The span of a step or item that started last: the one its events and its code belong to. */
export function latestSpan(run: RunSpans | undefined, stepId: string, item?: number) {
  return run?.steps.get(keyOf(stepId, item))?.at(-1);
}

/** Opens a step's span, under its map's span for an item. */
export function startStepSpan(tracer: Tracer, run: RunSpans, event: StepStartEvent): void {
  const parent = event.item === undefined ? undefined : latestSpan(run, event.stepId);
  const parentContext = parent?.context ?? run.context;
  const name =
    event.kind === 'llm' && event.model ? `chat ${event.model}` : `${event.kind} ${event.stepId}`;
  const startTime = Math.max(run.time.start(event.atMs), parent?.startTime ?? 0);
  const span = tracer.startSpan(name, { startTime }, parentContext);
  const key = keyOf(event.stepId, event.item);
  const open = run.steps.get(key) ?? [];
  // The stopped run of a restarted item ends with its own record, soon after; it says why.
  for (const stopped of open) {
    stopped.span.addEvent(
      'hotpath.restarted',
      { 'hotpath.restarted.at_ms': event.atMs },
      startTime,
    );
  }
  open.push({ span, context: trace.setSpan(parentContext, span), start: event, startTime });
  run.steps.set(key, open);
}

/** Ends the span a record belongs to (the one opened at its start), with its attributes. */
export function endStepSpan(
  tracer: Tracer,
  run: RunSpans,
  record: StepRecord,
  mask: (text: string) => string,
): void {
  const key = keyOf(record.stepId, record.item);
  const open = run.steps.get(key) ?? [];
  const index = open.findIndex((step) => step.start.atMs === record.startMs);
  const step = open[index] ?? open[0];
  const span = step?.span ?? startLateSpan(tracer, run, record);
  span.setAttributes(stepAttributes(record, step?.start, run.plan?.step(record.stepId)));
  if (record.source !== undefined && record.source !== 'call') {
    span.updateName(`replay ${record.stepId}`);
  }
  if (record.status === 'error') markFailed(span, record, run.errors.get(key), mask);
  run.errors.delete(key);
  span.end(run.time.now());
  open.splice(step === undefined ? 0 : open.indexOf(step), step === undefined ? 0 : 1);
  if (open.length === 0) run.steps.delete(key);
}

/** A span for a record whose start was not heard (a map that never started an item). */
function startLateSpan(tracer: Tracer, run: RunSpans, record: StepRecord): Span {
  const parent = record.item === undefined ? undefined : latestSpan(run, record.stepId);
  const startTime = Math.max(run.time.start(record.startMs), parent?.startTime ?? 0);
  return tracer.startSpan(
    `${record.kind} ${record.stepId}`,
    { startTime },
    parent?.context ?? run.context,
  );
}

function markFailed(
  span: Span,
  record: StepRecord,
  error: unknown,
  mask: (text: string) => string,
): void {
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: record.error === undefined ? undefined : mask(record.error),
  });
  // A step that threw nothing of its own (a map whose items failed or were stopped) still says
  // it failed, as the GenAI conventions ask of a failed operation.
  span.setAttribute('error.type', error === undefined ? '_OTHER' : stepErrorType(error, record));
  if (error instanceof Error) {
    span.recordException({
      name: error.name,
      message: mask(error.message),
      stack: error.stack === undefined ? undefined : mask(error.stack),
    });
  }
}
