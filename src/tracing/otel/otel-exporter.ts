import {
  type Context,
  context,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { StepStartEvent } from '../events';
import type { TraceExporter } from '../exporters/console';
import { createSecretMasker, secretsFromEnv } from '../log/redact';
import { chainAttributes } from './attributes';
import { checkOtelOptions } from './check-otel-options';
import { endStepSpan, keyOf, latestSpan, type RunSpans, startStepSpan } from './step-spans';
import { createWallTime } from './wall-time';

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

/**
 * Reports runs as OpenTelemetry spans: one per chain (`invoke_workflow <chain>`, a child of the
 * context active when `run()` was called), one per step and one per map item under its map's
 * span, with the GenAI semantic-convention attributes (`gen_ai.operation.name`,
 * `gen_ai.provider.name`, `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.usage.*`,
 * `gen_ai.response.time_to_first_chunk`, `error.type`) and `hotpath.*` (lane, cost, slack,
 * predicted duration and cost). Retries, fallbacks and hedges are span events. Langfuse, Jaeger,
 * Datadog and other OTLP backends show runs without glue.
 *
 * Span times are the wall clock's, the timeline of every other span in the trace: a span ends
 * when the exporter hears its end, and starts at the run's start plus the runtime clock's offset,
 * or when its start was heard if that is earlier. With a clock that runs ahead of the wall (a
 * virtual clock, the emulator's `timeScale`) spans show real time, and `hotpath.duration_ms` the
 * runtime's.
 *
 * Model calls and `fn` steps run with the step's span active ({@link OtelExporter.bindCall}; the
 * runtime does so for exporters that have it), so spans started inside nest under it when a
 * context manager is registered (the Node SDK's `AsyncLocalStorageContextManager`, which
 * `@opentelemetry/sdk-node` installs); otherwise they appear beside it, under the chain. The AI
 * SDK makes its own spans only through a telemetry integration registered with
 * `registerTelemetry` from `ai`, and only for steps on `callPath: 'streamText'` (agents and
 * `messages` prompts always are): `llm` takes no `experimental_telemetry` option.
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

  const spanOf = (event: { runId: string; stepId: string; item?: number }) =>
    latestSpan(runs.get(event.runId), event.stepId, event.item)?.span;
  const contextOf = (runId: string, stepId: string, item?: number) =>
    latestSpan(runs.get(runId), stepId, item)?.context;

  return {
    name: 'otel',
    contextOf,
    bindCall: (step, call) =>
      context.with(contextOf(step.runId, step.stepId, step.item) ?? context.active(), call),
    attach(events) {
      const off = [
        events.on('chain:start', (event) => {
          const time = createWallTime();
          const span = tracer.startSpan(
            `invoke_workflow ${event.chain}`,
            {
              kind: SpanKind.INTERNAL,
              startTime: time.start(0),
              attributes: {
                'gen_ai.operation.name': 'invoke_workflow',
                'gen_ai.workflow.name': event.chain,
                'hotpath.chain': event.chain,
                'hotpath.run_id': event.runId,
              },
            },
            context.active(),
          );
          runs.set(event.runId, {
            span,
            context: trace.setSpan(context.active(), span),
            time,
            steps: new Map(),
            errors: new Map(),
          });
        }),
        events.on('plan', (event) => {
          const run = runs.get(event.runId);
          if (run) run.plan = event.plan;
        }),
        events.on('step:start', (event) => {
          const run = runs.get(event.runId);
          if (run) startStepSpan(tracer, run, event);
        }),
        events.on('step:retry', (event) => {
          spanOf(event)?.addEvent('hotpath.retry', {
            'hotpath.attempt': event.attempt,
            'hotpath.retry.reason': event.reason,
            'hotpath.retry.delay_ms': event.delayMs,
            'gen_ai.request.model': event.model,
          });
        }),
        events.on('step:fallback', (event) => {
          spanOf(event)?.addEvent('hotpath.fallback', {
            'hotpath.fallback.from': event.from,
            'hotpath.fallback.to': event.to,
            'hotpath.fallback.reason': mask(event.reason),
          });
        }),
        events.on('step:hedge', (event) => {
          spanOf(event)?.addEvent('hotpath.hedge', {
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
          runs.get(event.runId)?.errors.set(keyOf(event.stepId, event.item), event.error);
        }),
        events.on('step:end', (record) => {
          const run = runs.get(record.runId);
          if (run) endStepSpan(tracer, run, record, mask);
        }),
        events.on('chain:end', (result) => {
          const run = runs.get(result.runId);
          if (run === undefined) return;
          const endTime = run.time.now();
          for (const open of run.steps.values()) for (const step of open) step.span.end(endTime);
          run.span.setAttributes(chainAttributes(result));
          if (result.status === 'error') {
            run.span.setStatus({
              code: SpanStatusCode.ERROR,
              message: result.error === undefined ? undefined : mask(result.error.message),
            });
            run.span.setAttribute('error.type', result.error?.type ?? '_OTHER');
          }
          run.span.end(endTime);
          runs.delete(result.runId);
        }),
      ];
      return () => {
        for (const unsubscribe of off) unsubscribe();
      };
    },
  };
}
