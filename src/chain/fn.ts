import type { FnStepContext, FnStepDefinition } from './step';

/** Options of {@link fn}. */
export interface FnOptions {
  /** Expected duration in milliseconds, for the scheduler's predictions. @default 0 */
  expect?: { durationMs?: number };
}

/**
 * A step of plain code. It receives the step's argument (the chain context, or the item in a
 * `map`) and an abort signal; what it returns (or resolves to) is the step's output.
 *
 * @example
 * ```ts
 * .step('long', fn(async ({ plan }) => plan.queries.filter((query) => query.length > 3)))
 * ```
 */
export function fn<TArg, TOutput>(
  run: (arg: TArg, context: FnStepContext) => TOutput | PromiseLike<TOutput>,
  options: FnOptions = {},
): FnStepDefinition<TArg, Awaited<TOutput>> {
  return { kind: 'fn', run: run as FnStepDefinition<TArg, Awaited<TOutput>>['run'], ...options };
}
