import {
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Plan } from '../../scheduler/plan';
import type { StepStartEvent } from '../events';
import type { TraceExporter } from '../exporters/console';
import { createSecretMasker, secretsFromEnv } from '../log/redact';
import { chainAttributes, stepAttributes } from './attributes';
import { checkOtelOptions } from './check-otel-options';

/** Options of {@link otelExporter}. */
export interface OtelExporterOptions {
  /** The tracer spans are made with. @default trace.getTracer('hotpath') (the global provider) */
  tracer?: Tracer;
  /** Values never to put in a span, besides secret-looking environment values and key patterns. */
  secrets?: readonly string[];
}

/** The OpenTelemetry exporter, with a way to run code inside a step's span. */
export interface OtelExporter extends TraceExporter {
  /** The context whose active span is the step's (or map item's) span, while it runs. */
  contextOf(runId: string, stepId: string, item?: number): Context | undefined;
  /**
   * Runs `call` with the step's span active, so spans started inside nest under it. The runtime
   * runs each model call and each `fn` step or map item this way.
   */
  bindCall<T>(step: Pick<StepStartEvent, 'runId' | 'stepId' | 'item'>, call: () => T): T;
}

interface RunSpans {
  readonly span: Span;
  readonly context: Context;
  readonly startedAt: number;
  plan?: Plan;
  readonly steps: Map<
    string,
    { span: Span; context: Context; start: StepStartEvent; errorType?: string }
  >;
}

const keyOf = (stepId: string, item?: number) =>
  item === undefined ? stepId : `${stepId}#${item}`;

/**
 * Reports runs as OpenTelemetry spans: one per chain (`invoke_workflow <chain>`, a child of the
 * context active when `run()` was called), one per step and one per map item under its map's
 * span, with the GenAI semantic-convention attributes (`gen_ai.operation.name`,
 * `gen_ai.provider.name`, `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.usage.*`,
 * `gen_ai.response.time_to_first_chunk`, `error.type`) and `hotpath.*` (lane, cost, slack,
 * predicted duration and cost). Retries, fallbacks and hedges are span events. Langfuse, Jaeger,
 * Datadog and other OTLP backends show runs without glue.
 *
 * The AI SDK's own spans (`experimental_telemetry: { isEnabled: true }`) attach to whatever span
 * is active when the call starts. They nest under the step's span when the call runs inside
 * {@link OtelExporter.bindCall} (the runtime does so for exporters that have it) and a context
 * manager is registered (the Node SDK's `AsyncLocalStorageContextManager`, which
 * `@opentelemetry/sdk-node` installs); otherwise they appear beside it, under the chain.
 *
 * @example
 * ```ts
 * import { otelExporter } from 'hotpath/otel';
 * const runtime = createRuntime({ models: models.fromEnv(), exporters: [otelExporter()] });
 * ```
 */
export function otelExporter(options: OtelExporterOptions = {}): OtelExporter {
  checkOtelOptions(options);
  const tracer = options.tracer ?? trace.getTracer('hotpath');
  const runs = new Map<string, RunSpans>();
  // The runtime masks what it emits; this masks what reaches the exporter by any other hub.
  const mask = createSecretMasker([...secretsFromEnv(), ...(options.secrets ?? [])]);

  const stepOf = (event: { runId: string; stepId: string; item?: number }) =>
    runs.get(event.runId)?.steps.get(keyOf(event.stepId, event.item));
  const contextOf = (runId: string, stepId: string, item?: number) =>
    runs.get(runId)?.steps.get(keyOf(stepId, item))?.context;

  return {
    name: 'otel',
    contextOf,
    bindCall: (step, call) =>
      context.with(contextOf(step.runId, step.stepId, step.item) ?? context.active(), call),
    attach(events) {
      const off = [
        events.on('chain:start', (event) => {
          const span = tracer.startSpan(
            `invoke_workflow ${event.chain}`,
            {
              kind: SpanKind.INTERNAL,
              startTime: event.startedAt,
              attributes: {
                'gen_ai.operation.name': 'invoke_workflow',
                'gen_ai.workflow.name': event.chain,
                'hotpath.chain': event.chain,
                'hotpath.run_id': event.runId,
              },
            },
            context.active(),
          );
          const ctx = trace.setSpan(context.active(), span);
          runs.set(event.runId, {
            span,
            context: ctx,
            startedAt: event.startedAt,
            steps: new Map(),
          });
        }),
        events.on('plan', (event) => {
          const run = runs.get(event.runId);
          if (run) run.plan = event.plan;
        }),
        events.on('step:start', (event) => {
          const run = runs.get(event.runId);
          if (run === undefined) return;
          const parent =
            event.item === undefined
              ? run.context
              : (run.steps.get(event.stepId)?.context ?? run.context);
          const name =
            event.kind === 'llm' && event.model
              ? `chat ${event.model}`
              : `${event.kind} ${event.stepId}`;
          const span = tracer.startSpan(name, { startTime: run.startedAt + event.atMs }, parent);
          const ctx = trace.setSpan(parent, span);
          run.steps.set(keyOf(event.stepId, event.item), { span, context: ctx, start: event });
        }),
        events.on('step:retry', (event) => {
          stepOf(event)?.span.addEvent('hotpath.retry', {
            'hotpath.attempt': event.attempt,
            'hotpath.retry.reason': event.reason,
            'hotpath.retry.delay_ms': event.delayMs,
            'gen_ai.request.model': event.model,
          });
        }),
        events.on('step:fallback', (event) => {
          stepOf(event)?.span.addEvent('hotpath.fallback', {
            'hotpath.fallback.from': event.from,
            'hotpath.fallback.to': event.to,
            'hotpath.fallback.reason': mask(event.reason),
          });
        }),
        events.on('step:hedge', (event) => {
          stepOf(event)?.span.addEvent('hotpath.hedge', {
            'hotpath.hedge.primary': event.primary,
            'hotpath.hedge.model': event.hedge,
            'hotpath.hedge.outcome': event.outcome,
          });
        }),
        events.on('replan', (event) => {
          runs.get(event.runId)?.span.addEvent('hotpath.replan', {
            'hotpath.replan.after': event.after,
            'hotpath.replan.changes': event.changes.length,
          });
        }),
        events.on('step:error', (event) => {
          const step = stepOf(event);
          if (step === undefined) return;
          const error = event.error;
          step.errorType = error instanceof Error ? error.name : '_OTHER';
          step.span.setAttribute('error.type', step.errorType);
          if (error instanceof Error) {
            step.span.recordException({
              name: error.name,
              message: mask(error.message),
              stack: error.stack === undefined ? undefined : mask(error.stack),
            });
          }
        }),
        events.on('step:end', (record) => {
          const run = runs.get(record.runId);
          if (run === undefined) return;
          // A map ends after its items, so its span is still there for them as a parent.
          const key = keyOf(record.stepId, record.item);
          const step = run.steps.get(key);
          const span =
            step?.span ??
            tracer.startSpan(
              `${record.kind} ${record.stepId}`,
              { startTime: run.startedAt + record.startMs },
              run.context,
            );
          span.setAttributes(stepAttributes(record, step?.start, run.plan?.step(record.stepId)));
          if (record.status === 'error') {
            span.setStatus({
              code: SpanStatusCode.ERROR,
              message: record.error === undefined ? undefined : mask(record.error),
            });
            // A step that heard no `step:error` of its own (a map whose items failed or were
            // stopped) still says it failed, as the GenAI conventions ask of a failed operation.
            if (step?.errorType === undefined) span.setAttribute('error.type', '_OTHER');
          }
          span.end(run.startedAt + record.endMs);
          run.steps.delete(key);
        }),
        events.on('chain:end', (result) => {
          const run = runs.get(result.runId);
          if (run === undefined) return;
          for (const step of run.steps.values()) step.span.end(run.startedAt + result.durationMs);
          run.span.setAttributes(chainAttributes(result));
          if (result.status === 'error') {
            run.span.setStatus({
              code: SpanStatusCode.ERROR,
              message: result.error === undefined ? undefined : mask(result.error.message),
            });
            run.span.setAttribute('error.type', result.error?.type ?? '_OTHER');
          }
          run.span.end(run.startedAt + result.durationMs);
          runs.delete(result.runId);
        }),
      ];
      return () => {
        for (const unsubscribe of off) unsubscribe();
      };
    },
  };
}
