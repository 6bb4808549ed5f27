export { type OtelExporter, type OtelExporterOptions, otelExporter } from './otel-exporter';
