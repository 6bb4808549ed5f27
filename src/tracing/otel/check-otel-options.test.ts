import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors';
import { otelExporter } from './otel-exporter';

describe('otelExporter option checks', () => {
  it.each([
    [{ tracr: {} }, 'tracr', 'Unknown option `tracr` of `otelExporter`; did you mean `tracer`?'],
    [{ tracer: {} }, 'tracer', 'Expected `tracer` to be an OpenTelemetry `Tracer`'],
    [{ secrets: 'sk' }, 'secrets', 'Expected `secrets` to be an array of strings'],
  ])('refuses %j, naming the option', (options, argument, message) => {
    let caught: unknown;
    try {
      otelExporter(options as never);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ argument });
    expect((caught as Error).message).toContain(message);
  });

  it('accepts a tracer and secrets', () => {
    const tracer = { startSpan: () => ({}) } as never;
    expect(otelExporter({ tracer, secrets: ['s'] }).name).toBe('otel');
  });
});
