import type { StandardSchemaV1 } from './standard-schema';
import type { StepDefinition } from './step';

/** The kind of a step node: an LLM call, plain code, or a fan-out over items. */
export type StepKind = 'llm' | 'fn' | 'map';

/** One step of a chain as the scheduler and runtime see it. */
export interface StepNode {
  readonly id: string;
  readonly kind: StepKind;
  /**
   * The steps this step waits for; it starts when they are done. For a step declared without
   * `needs` these are the latest earlier steps (the rest are done before them).
   */
  readonly needs: readonly string[];
  /** Whether the step reads every earlier step's output (declared without `needs`). */
  readonly readsAll?: boolean;
  /** What runs: the step itself, or for a `map` each item. */
  readonly definition: StepDefinition;
  /** For a `map`: computes the items from the context. */
  readonly over?: (context: any) => unknown;
  /** For a `map`: how many items run at once. */
  readonly concurrency?: number;
  /** For a `map`: the expected number of items, for predictions. */
  readonly expectItems?: number;
  /** For a `map`: what a failed item does. */
  readonly onItemError?: 'fail' | 'skip' | 'collect';
  /** For a `map`: items start while the producing step streams (see `MapOptions.pipeline`). */
  readonly pipeline?: boolean;
}

/** The plain runtime definition behind a chain builder. */
export interface ChainDefinition {
  readonly name: string;
  readonly input: StandardSchemaV1;
  /** Residency for every call of the chain (see `ModelStepOptions.regions`). */
  readonly regions?: readonly string[];
  readonly steps: readonly StepNode[];
  readonly returns?: (context: any) => unknown;
}

/** The steps of `definition` by id. */
export function indexSteps(definition: ChainDefinition): Map<string, StepNode> {
  return new Map(definition.steps.map((step) => [step.id, step]));
}

/** The ids of the steps that need `stepId`. */
export function dependentsOf(definition: ChainDefinition): Map<string, string[]> {
  const dependents = new Map<string, string[]>(definition.steps.map((step) => [step.id, []]));
  for (const step of definition.steps) {
    for (const need of step.needs) dependents.get(need)?.push(step.id);
  }
  return dependents;
}

/**
 * The step a pipelined map reads while it streams: its one need that is an `llm` step with an
 * `output` schema; undefined when it has none or several.
 */
export function pipelineProducer(
  steps: readonly StepNode[],
  needs: readonly string[],
): StepNode | undefined {
  const structured = steps.filter(
    (step) =>
      needs.includes(step.id) &&
      step.kind === 'llm' &&
      step.definition.kind === 'llm' &&
      step.definition.output !== undefined,
  );
  return structured.length === 1 ? structured[0] : undefined;
}
