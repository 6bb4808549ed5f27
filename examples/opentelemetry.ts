import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createRuntime, type ModelPool, models } from 'hotpath';
import { otelExporter } from 'hotpath/otel';
import { research } from './research';

// Tracing to OpenTelemetry: a span per chain and per step with the GenAI semantic conventions.
// In production, put an OTLP exporter (Langfuse, Jaeger, Datadog...) where the in-memory one is.
export async function main(pool: ModelPool = models.fromEnv()) {
  const spans = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = otelExporter({ tracer: provider.getTracer('hotpath-example') });
  // Given to the runtime, not attached to it: the runtime then runs each model call inside its
  // step's span (`bindCall`), so the spans made inside it (an instrumented fetch, the AI SDK's)
  // nest under the step once a context manager is registered (`@opentelemetry/sdk-node` does).
  const runtime = createRuntime({ models: pool, exporters: [exporter] });
  await runtime.run(research, { question: 'Why are diffusion LLMs fast?' });
  await provider.forceFlush();
  const finished = spans.getFinishedSpans();
  for (const span of finished) {
    const model = span.attributes['gen_ai.request.model'] ?? '';
    const tokens = span.attributes['gen_ai.usage.output_tokens'];
    console.log(
      `${span.name.padEnd(34)} ${String(model).padEnd(18)} ${tokens === undefined ? '' : `${tokens} out`}`,
    );
  }
  return finished;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
