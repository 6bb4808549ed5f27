import { InvalidArgumentError } from '../../errors';
import { assertKnownKeys, assertObject, assertType } from '../../errors/option-checks';

/**
 * Checks the options of an exporter factory (`jsonlExporter`, ...): an object, every key known
 * (a typo names the nearest key), `secrets` a list of strings. Throws an `InvalidArgumentError`
 * naming the option; returns the options for the factory's own checks.
 */
export function checkExporterOptions(
  options: unknown,
  known: object,
  owner: string,
): Record<string, unknown> {
  const o = assertObject('options', options);
  assertKnownKeys(o, Object.keys(known), owner);
  if (o.secrets !== undefined) assertStrings('secrets', o.secrets);
  return o;
}

/** Throws unless `value` is an array of strings. */
export function assertStrings(argument: string, value: unknown): asserts value is string[] {
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw new InvalidArgumentError({ argument, expected: 'an array of strings', value });
  }
}

/** Throws unless `value`, when given, is a function. */
export function assertOptionalFunction(argument: string, value: unknown): void {
  if (value !== undefined) assertType(argument, value, 'function');
}
