import { HotpathError, StepError } from '../../errors';
import type { StepRecord } from '../records';

/**
 * A failed step's `error.type`: what went wrong, in a few predictable values as the OpenTelemetry
 * guidance asks, rather than the class that carries it (every step failure is a `StepError`).
 * How the last call failed (`timeout`, `rate-limit`, ...) when it was a model call, else the
 * step error's reason (`function`, `output-validation`, ...); `cancelled` for a step stopped by
 * an abort or by another step's failure; a hotpath error's class (`BudgetExceededError`).
 */
export function stepErrorType(error: unknown, record: StepRecord): string {
  if (StepError.isInstance(error)) {
    const own = error.stepId === record.stepId && error.item === record.item;
    return own ? (record.failure ?? error.reason) : 'cancelled';
  }
  if (HotpathError.isInstance(error)) return error.name;
  // The runtime wraps every other failure in a `StepError`, unless the run was stopped: then the
  // step fails with the abort's reason, whatever it is.
  return 'cancelled';
}
