import type { RunTrace } from '../tracing/records';
import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'StepError';
const marker = 'hotpath.error.HotpathStepError';
const symbol = Symbol.for(marker);

/** Why a step failed. */
export type StepErrorReason =
  | 'model-call'
  | 'output-validation'
  /**
   * The step's own code failed: a `fn` step's function threw, or a `prompt`, `system` or
   * `messages` function threw or returned the wrong type (caught before any request).
   */
  | 'function'
  | 'map-items'
  | 'timeout'
  | 'models-exhausted'
  /**
   * The call could not get its turn: the runtime's `sharedLimits` (or a shared budget) failed,
   * for example a Redis that cannot be reached; the limits' error is the `cause`. Not retried.
   */
  | 'limits'
  /**
   * A map item run by the runtime's `executor` (BullMQ workers) failed there without a step's
   * reason: the worker could not run it (its runtime refused the job, it has no such chain) or
   * the queue gave up on the job. The message is what the executor reported.
   */
  | 'worker';

/** A step of a running chain failed; `cause` holds the original error. */
export class StepError extends HotpathError {
  private readonly [symbol] = true;

  readonly chain: string;
  readonly stepId: string;
  /** The map item's index, for an error inside a `map` step. */
  readonly item: number | undefined;
  /** The model the (last) failed call went to, for LLM steps. */
  readonly model: string | undefined;
  readonly attempt: number;
  readonly reason: StepErrorReason;
  /**
   * What the run did before it stopped (every step that started, what it spent), set by the
   * runtime on the error a run rejects with, as on `BudgetExceededError` and `RunAbortedError`.
   */
  trace?: RunTrace;

  constructor(options: {
    chain: string;
    stepId: string;
    item?: number;
    model?: string;
    attempt?: number;
    reason: StepErrorReason;
    message: string;
    cause?: unknown;
  }) {
    const item = options.item === undefined ? '' : ` (item ${options.item})`;
    const model = options.model === undefined ? '' : ` on ${options.model}`;
    super({
      name,
      message: `Step \`${options.stepId}\`${item} of chain \`${options.chain}\` failed${model}: ${options.message}`,
      cause: options.cause,
    });
    this.chain = options.chain;
    this.stepId = options.stepId;
    this.item = options.item;
    this.model = options.model;
    this.attempt = options.attempt ?? 1;
    this.reason = options.reason;
  }

  static override isInstance(error: unknown): error is StepError {
    return HotpathError.hasMarker(error, marker);
  }
}
