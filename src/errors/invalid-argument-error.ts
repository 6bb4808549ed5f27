import { HotpathError } from './hotpath-error';

const name = 'HotpathInvalidArgumentError';
const marker = `hotpath.error.${name}`;
const symbol = Symbol.for(marker);

/** An option or argument has the wrong type or value; the message says what was expected. */
export class InvalidArgumentError extends HotpathError {
  private readonly [symbol] = true;

  readonly argument: string;

  constructor({
    argument,
    expected,
    value,
  }: { argument: string; expected: string; value: unknown }) {
    super({
      name,
      message: `Expected \`${argument}\` to be ${expected}, got \`${String(value)}\` (${typeof value})`,
    });
    this.argument = argument;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return HotpathError.hasMarker(error, marker);
  }
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
