import { InvalidArgumentError } from '../../errors';
import { assertWholeNumber } from '../../errors/invalid-argument-error';
import { assertNumber, assertType, type OptionKeys } from '../../errors/option-checks';
import type { ConsoleExporterOptions } from './console';
import { assertOptionalFunction, checkExporterOptions } from './exporter-options';

const optionKeys: OptionKeys<ConsoleExporterOptions> = {
  write: true,
  stream: true,
  live: true,
  color: true,
  width: true,
  refreshMs: true,
  secrets: true,
};

/** Checks `consoleExporter`'s options when it is made, naming the option (and the nearest key). */
export function checkConsoleOptions(options: unknown): void {
  const o = checkExporterOptions(options, optionKeys, 'consoleExporter');
  assertOptionalFunction('write', o.write);
  if (
    o.stream !== undefined &&
    typeof (o.stream as { write?: unknown } | null)?.write !== 'function'
  ) {
    throw new InvalidArgumentError({
      argument: 'stream',
      expected: 'a stream with `write(text)` (such as `process.stdout`)',
      value: o.stream,
    });
  }
  if (o.live !== undefined) assertType('live', o.live, 'boolean');
  if (o.color !== undefined) assertType('color', o.color, 'boolean');
  // The waterfall needs 40 columns (see `formatWaterfall`).
  if (o.width !== undefined) assertWholeNumber('width', o.width, 40);
  if (o.refreshMs !== undefined) assertNumber('refreshMs', o.refreshMs);
}
