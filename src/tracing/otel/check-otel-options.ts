import { assertMethods, type OptionKeys } from '../../errors/option-checks';
import { checkExporterOptions } from '../exporters/exporter-options';
import type { OtelExporterOptions } from './otel-exporter';

const optionKeys: OptionKeys<OtelExporterOptions> = { tracer: true, secrets: true };

/** Checks `otelExporter`'s options when it is made, naming the option (and the nearest key). */
export function checkOtelOptions(options: unknown): void {
  const o = checkExporterOptions(options, optionKeys, 'otelExporter');
  if (o.tracer === undefined) return;
  assertMethods(
    'tracer',
    o.tracer,
    "an OpenTelemetry `Tracer` (such as `trace.getTracer('my-app')`)",
    ['startSpan'],
  );
}
