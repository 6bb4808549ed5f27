import type { StepNode } from '../chain';
import { HotpathError, StepError, type StepErrorReason } from '../errors';
import { type RunState, recordStep } from './run-state';
import { validationMessage } from './schema-issues';

/** Records a step that failed or was stopped, so the trace shows every step that started. */
export function recordFailure(
  state: RunState,
  fields: Omit<Parameters<typeof recordStep>[1], 'status' | 'error'>,
  error: unknown,
): void {
  const message = error instanceof Error ? error.message : String(error);
  recordStep(state, { ...fields, status: 'error', error: message });
}

/** Runs `work`; a failure becomes a `StepError` naming the step, item and model. */
export async function guard<T>(
  state: RunState,
  step: StepNode,
  reason: StepErrorReason,
  item: number | undefined,
  work: () => T | PromiseLike<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStepError(state, step, reason, item, error);
  }
}

/** `work` without a promise: for synchronous work on the per-step path (a prompt function). */
export function guardSync<T>(
  state: RunState,
  step: StepNode,
  reason: StepErrorReason,
  item: number | undefined,
  work: () => T,
): T {
  try {
    return work();
  } catch (error) {
    throw asStepError(state, step, reason, item, error);
  }
}

function asStepError(
  state: RunState,
  step: StepNode,
  reason: StepErrorReason,
  item: number | undefined,
  error: unknown,
): unknown {
  if (HotpathError.isInstance(error) || state.controller.signal.aborted) return error;
  const model = reason === 'model-call' ? state.plan.step(step.id)?.model : undefined;
  const invalid = reason === 'model-call' && isValidationError(error);
  return new StepError({
    chain: state.chain.name,
    stepId: step.id,
    item,
    model,
    reason: invalid ? 'output-validation' : reason,
    message: invalid
      ? validationMessage(error)
      : error instanceof Error
        ? error.message
        : String(error),
    cause: error,
  });
}

function isValidationError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'AI_NoObjectGeneratedError' || name === 'AI_TypeValidationError';
}
