import type { RunTrace } from '../tracing/records';
import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling, so errors from an older copy
// of hotpath still pass `isInstance`.
const name = 'BudgetExceededError';
const marker = 'hotpath.error.HotpathBudgetExceededError';
const symbol = Symbol.for(marker);

/**
 * A call would have crossed the run's `maxCostUsd`, so it did not start. `trace` holds what
 * finished; `spentUsd` what it cost.
 */
export class BudgetExceededError extends HotpathError {
  private readonly [symbol] = true;

  readonly chain: string;
  readonly stepId: string;
  readonly model: string;
  readonly maxCostUsd: number;
  /**
   * What the run spent: when the call was refused, then (once the run has stopped) everything the
   * run paid for, calls that were in flight at the refusal included, as in `trace.costUsd`.
   */
  spentUsd: number;
  /** What calls in flight (in every process sharing the budget) held when the call was refused. */
  readonly reservedUsd: number;
  /** The worst-case cost of the call that was refused. */
  readonly requiredUsd: number;
  /** Set by the runtime once the run has stopped. */
  trace?: RunTrace;

  constructor(options: {
    chain: string;
    stepId: string;
    model: string;
    maxCostUsd: number;
    spentUsd: number;
    reservedUsd: number;
    requiredUsd: number;
  }) {
    const usd = (value: number) => `$${value.toFixed(6)}`;
    super({
      name,
      message: `Step \`${options.stepId}\` of chain \`${options.chain}\` would cross the budget of ${usd(options.maxCostUsd)} on ${options.model}: ${usd(options.spentUsd)} spent, ${usd(options.reservedUsd)} reserved, the call may cost up to ${usd(options.requiredUsd)}`,
    });
    this.chain = options.chain;
    this.stepId = options.stepId;
    this.model = options.model;
    this.maxCostUsd = options.maxCostUsd;
    this.spentUsd = options.spentUsd;
    this.reservedUsd = options.reservedUsd;
    this.requiredUsd = options.requiredUsd;
  }

  static override isInstance(error: unknown): error is BudgetExceededError {
    return HotpathError.hasMarker(error, marker);
  }
}
