import { InvalidArgumentError } from './invalid-argument-error';
import { nearestName } from './nearest-name';

/**
 * Throws on a key of `options` that is not in `known`, naming the nearest known key:
 * ``Unknown option `maxCostUSD` of `createRuntime`; did you mean `maxCostUsd`?``.
 * `prefix` is the path of a nested object (`retry.`).
 */
export function assertKnownKeys(
  options: object,
  known: readonly string[],
  owner: string,
  prefix = '',
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    const hint =
      near === undefined
        ? `; the options are ${known.map((name) => `\`${prefix}${name}\``).join(', ')}`
        : `; did you mean \`${prefix}${near}\`?`;
    throw new InvalidArgumentError({
      argument: `${prefix}${key}`,
      message: `Unknown option \`${prefix}${key}\` of \`${owner}\`${hint}`,
    });
  }
}

/** Throws unless `value` is a plain object (not null, not an array); returns it typed. */
export function assertObject(argument: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument, expected: 'an object', value });
  }
  return value as Record<string, unknown>;
}

/** Bounds of {@link assertNumber}. */
export interface NumberBounds {
  /** The smallest value allowed. @default 0 */
  readonly min?: number;
  /** Whether `min` itself is refused. @default false */
  readonly above?: boolean;
  /** The largest value allowed. */
  readonly max?: number;
  /** Whether `Infinity` is allowed (no limit). @default false */
  readonly infinite?: boolean;
}

/** Throws unless `value` is a number within the bounds (never `NaN`). */
export function assertNumber(argument: string, value: unknown, bounds: NumberBounds = {}): void {
  const { min = 0, above = false, max, infinite = false } = bounds;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (infinite && value > 0)) &&
    (above ? value > min : value >= min) &&
    (max === undefined || value <= max);
  if (ok) return;
  const range =
    max === undefined
      ? above
        ? `above ${min}`
        : `from ${min} up`
      : `from ${min}${above ? ' (excluded)' : ''} to ${max}`;
  throw new InvalidArgumentError({ argument, expected: `a number ${range}`, value });
}

/** Throws unless `value` is one of `choices`. */
export function assertOneOf(argument: string, value: unknown, choices: readonly unknown[]): void {
  if (choices.includes(value)) return;
  const list = choices.map((choice) => `'${String(choice)}'`);
  const expected =
    list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
  throw new InvalidArgumentError({ argument, expected, value });
}

/** Throws unless `value` is of the `typeof` kind given. */
export function assertType(
  argument: string,
  value: unknown,
  kind: 'boolean' | 'function' | 'string',
): void {
  if (typeof value === kind) return;
  const article = kind === 'string' ? 'a string' : `a ${kind}`;
  throw new InvalidArgumentError({ argument, expected: article, value });
}

/**
 * Throws unless `value` has every method of `methods` as a function, and any of `optional` it
 * has too: an object the caller hands in to be called into (a store, shared limits), described
 * to the user as `what`.
 */
export function assertMethods(
  argument: string,
  value: unknown,
  what: string,
  methods: readonly string[],
  optional: readonly string[] = [],
): void {
  const given = value as Record<string, unknown> | null | undefined;
  const missing = methods.filter((method) => typeof given?.[method] !== 'function');
  const wrong = optional.filter(
    (method) => given?.[method] !== undefined && typeof given[method] !== 'function',
  );
  if (missing.length === 0 && wrong.length === 0) return;
  const names = [...missing, ...wrong].map((method) => `\`${method}\``).join(', ');
  throw new InvalidArgumentError({ argument, expected: `${what}, which has no ${names}`, value });
}

/**
 * Every key of an options type, as an object checked against the type: adding an option to the
 * type without adding it here (or the reverse) is a compile error.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * A calendar instant as Unix ms: a `Date`, an ISO 8601 string or Unix ms; throws naming
 * `argument` for anything else (an invalid date, a non-finite number, an unparsable string).
 */
export function toUnixMs(argument: string, value: unknown): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string'
        ? Date.parse(value)
        : typeof value === 'number'
          ? value
          : Number.NaN;
  if (Number.isFinite(ms)) return ms;
  throw new InvalidArgumentError({
    argument,
    expected: 'a `Date`, an ISO 8601 string or Unix ms',
    value,
  });
}
