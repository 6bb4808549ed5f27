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

  /**
   * A plain object for `JSON.stringify`: `name`, `message`, the class's fields and the `cause`
   * chain (each cause by its `name` and `message` only: a provider error's request body and
   * headers stay out). A `trace` is left out; read it from the error itself.
   */
  toJSON(): Record<string, unknown> {
    const fields = Object.entries(this).filter(
      ([key, value]) => key !== 'trace' && key !== 'cause' && value !== undefined,
    );
    const json: Record<string, unknown> = {
      name: this.name,
      message: this.message,
      ...Object.fromEntries(fields),
    };
    if (this.cause !== undefined) json.cause = causeToJSON(this.cause, 1);
    return json;
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

function causeToJSON(cause: unknown, depth: number): unknown {
  if (HotpathError.isInstance(cause)) return cause.toJSON();
  if (!(cause instanceof Error)) {
    return typeof cause === 'object' && cause !== null ? String(cause) : cause;
  }
  const json: Record<string, unknown> = { name: cause.name, message: cause.message };
  if (cause.cause !== undefined && depth < 5) json.cause = causeToJSON(cause.cause, depth + 1);
  return json;
}
