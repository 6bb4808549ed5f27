import type { StepNode } from '../chain';

/** A chain's steps as the planner reads them, made once per chain. */
export interface ChainLayout {
  /** Each step with every field of a {@link StepNode} (absent ones undefined), in one shape. */
  readonly steps: readonly StepNode[];
  /** Step id to topological position. */
  readonly index: ReadonlyMap<string, number>;
  /** The positions of the steps each step needs. */
  readonly needs: readonly (readonly number[])[];
  /** Whether some map is pipelined. */
  readonly pipelined: boolean;
}

const layouts = new WeakMap<readonly StepNode[], ChainLayout>();

/**
 * The layout of a chain's steps, kept for as long as the steps array lives: a runtime plans the
 * same chain before every run. Step nodes come from object spreads, so nearly every node has a
 * shape of its own, and V8 reads a field of a thousand shapes several times slower than of one
 * (the property caches overflow): the planner reads each node once, here, and then the copies.
 * A chain definition is immutable (the builder makes a new one per call); a steps array that
 * changed length is laid out again.
 */
export function layoutOf(steps: readonly StepNode[]): ChainLayout {
  const known = layouts.get(steps);
  if (known !== undefined && known.steps.length === steps.length) return known;
  const count = steps.length;
  const copies: StepNode[] = new Array(count);
  const index = new Map<string, number>();
  let pipelined = false;
  for (let position = 0; position < count; position++) {
    const step = steps[position]!;
    const copy: StepNode = {
      id: step.id,
      kind: step.kind,
      needs: step.needs,
      readsAll: step.readsAll,
      definition: step.definition,
      over: step.over,
      concurrency: step.concurrency,
      expectItems: step.expectItems,
      onItemError: step.onItemError,
      pipeline: step.pipeline,
    };
    copies[position] = copy;
    index.set(copy.id, position);
    if (copy.pipeline) pipelined = true;
  }
  const needs: number[][] = new Array(count);
  for (let position = 0; position < count; position++) {
    const ids = copies[position]!.needs;
    const positions: number[] = new Array(ids.length);
    for (let k = 0; k < ids.length; k++) positions[k] = index.get(ids[k]!)!;
    needs[position] = positions;
  }
  const layout = { steps: copies, index, needs, pipelined };
  layouts.set(steps, layout);
  return layout;
}
