import type { StepNode } from '../chain';

/** Thrown by the planning context when `over` reads a step output, which no plan knows yet. */
const unknownStep = Symbol('hotpath.unknown-step');

/**
 * How many items a map will get, when its `over` can be evaluated before the run: it reads only
 * `input` (a step output is not known to a plan), returns an array synchronously, and does not
 * throw. Otherwise `undefined`, and the plan keeps `expect.items`. `over` sees the input as it
 * was given, without the schema's parsing.
 */
export function countMapItems(step: StepNode, input: unknown): number | undefined {
  if (step.kind !== 'map' || step.over === undefined || input === undefined) return undefined;
  const context = new Proxy(
    { input },
    {
      get(target, key) {
        if (key === 'input') return target.input;
        throw unknownStep;
      },
    },
  );
  try {
    const items = step.over(context);
    return Array.isArray(items) ? items.length : undefined;
  } catch {
    // A step output was read, or `over` threw on an input it did not expect: keep the estimate.
    return undefined;
  }
}
