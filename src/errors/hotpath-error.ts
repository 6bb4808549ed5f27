const marker = 'hotpath.error';
const symbol = Symbol.for(marker);

/**
 * Base class of every error hotpath throws. Use `HotpathError.isInstance(error)` rather than
 * `instanceof`: it works across duplicate installs of the package.
 */
export class HotpathError extends Error {
  private readonly [symbol] = true;

  override readonly cause?: unknown;

  constructor({ name, message, cause }: { name: string; message: string; cause?: unknown }) {
    super(message);
    this.name = name;
    this.cause = cause;
  }

  /** Whether `error` is a hotpath error (of any class). */
  static isInstance(error: unknown): error is HotpathError {
    return HotpathError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, name: string): boolean {
    const markerSymbol = Symbol.for(name);
    return (
      error != null &&
      typeof error === 'object' &&
      markerSymbol in error &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }
}
