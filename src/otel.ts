// hotpath/otel: the OpenTelemetry exporter, behind its own entry so that only users who want it
// load `@opentelemetry/api` (an optional peer dependency).
export { type OtelExporter, type OtelExporterOptions, otelExporter } from './tracing/otel';
