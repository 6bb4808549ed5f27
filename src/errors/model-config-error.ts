import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'ModelConfigError';
const marker = 'hotpath.error.HotpathModelConfigError';
const symbol = Symbol.for(marker);

/** What is wrong with the model configuration. */
export type ModelConfigErrorReason =
  | 'empty-pool'
  | 'duplicate-model'
  | 'unknown-model'
  | 'invalid-profile'
  | 'no-candidate'
  | 'missing-provider';

/** The model pool or a model profile is unusable: no models, a missing price, an unknown id. */
export class ModelConfigError extends HotpathError {
  private readonly [symbol] = true;

  readonly reason: ModelConfigErrorReason;
  readonly model: string | undefined;
  /** The step that has no model to run on (`no-candidate`). */
  readonly stepId: string | undefined;

  constructor(options: {
    reason: ModelConfigErrorReason;
    message: string;
    model?: string;
    stepId?: string;
    /** The check that failed underneath (an `InvalidArgumentError` of a shared check). */
    cause?: unknown;
  }) {
    super({ name, message: options.message, cause: options.cause });
    this.reason = options.reason;
    this.model = options.model;
    this.stepId = options.stepId;
  }

  static override isInstance(error: unknown): error is ModelConfigError {
    return HotpathError.hasMarker(error, marker);
  }
}
