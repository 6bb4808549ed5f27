import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'InvalidArgumentError';
const marker = 'hotpath.error.HotpathInvalidArgumentError';
const symbol = Symbol.for(marker);

/** An option or argument has the wrong type or value; the message says what was expected. */
export class InvalidArgumentError extends HotpathError {
  private readonly [symbol] = true;

  readonly argument: string;

  /** From what was expected and the value that came, or (for a composite check) a message. */
  constructor(
    options:
      | { argument: string; expected: string; value: unknown }
      | { argument: string; message: string },
  ) {
    super({
      name,
      message:
        'message' in options
          ? options.message
          : `Expected \`${options.argument}\` to be ${options.expected}, got \`${describeValue(options.value)}\` (${typeof options.value})`,
    });
    this.argument = options.argument;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return HotpathError.hasMarker(error, marker);
  }
}

/** A value as a message shows it: strings as they are, arrays and plain objects as JSON. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value) || (typeof value === 'object' && value?.constructor === Object)) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/** Throws unless `value` is a whole number from `min` up. */
export function assertWholeNumber(
  argument: string,
  value: unknown,
  min = 1,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError({ argument, expected: `a whole number from ${min} up`, value });
  }
}
