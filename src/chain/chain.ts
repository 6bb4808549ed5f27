import { assertWholeNumber, ChainDefinitionError } from '../errors';
import type { ChainDefinition, StepNode } from './graph';
import type { StandardSchemaV1 } from './standard-schema';
import type { StepDefinition, StepOutput } from './step';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The context every step reads: the chain's `input` and the outputs of earlier steps by name. */
export type ChainContext = { input: unknown };

/** The names of the steps in a context. */
export type StepNames<TContext> = Exclude<keyof TContext, 'input'> & string;

/** A step name that is free in the context; a taken name becomes `never` (a compile error). */
type FreshName<TName extends string, TContext> = TName extends keyof TContext ? never : TName;

type WithStep<TContext, TName extends string, TOutput> = Simplify<
  TContext & { [K in TName]: TOutput }
>;

type Outputs<TContext> = Simplify<Omit<TContext, 'input'>>;

type NeedsContext<TContext, TNeeds> = Simplify<
  Pick<TContext, Extract<'input' | TNeeds, keyof TContext>>
>;

/** Options of a step that declares what it needs. */
export interface StepOptions<TNeeds extends string> {
  /** The steps this one reads; it starts as soon as they are done. @default every earlier step */
  needs: readonly TNeeds[];
}

/** What a `map` does when an item fails: fail the step, drop the item, or keep its error. */
export type OnItemError = 'fail' | 'skip' | 'collect';

/** One item's outcome in a `map` with `onItemError: 'collect'`. */
export type MapItemResult<TOutput> =
  | { readonly ok: true; readonly value: TOutput }
  | { readonly ok: false; readonly error: Error };

type MapOutput<TOut, TOnError> = TOnError extends 'collect' ? MapItemResult<TOut>[] : TOut[];

/** Options of `.map`. */
export interface MapOptions<TNeeds extends string, TOnError extends OnItemError = 'fail'> {
  /** How many items run at once. @default 8 */
  concurrency?: number;
  /** The steps the `over` function reads. @default every earlier step */
  needs?: readonly TNeeds[];
  /** Expected number of items, for the scheduler's predictions. @default 4 */
  expect?: { items?: number };
  /**
   * `fail` stops the step (and the run) at the first failed item; `skip` leaves failed items
   * out of the output; `collect` outputs every item, in order, as `{ ok, value }` or `{ ok, error }`.
   * @default 'fail'
   */
  onItemError?: TOnError;
}

/**
 * An immutable chain builder: every method returns a new chain. The context type grows with
 * each step, so a later step sees earlier outputs by name with their types.
 */
export interface Chain<TInput, TContext extends ChainContext, TOutput> {
  /** The plain definition the scheduler and runtime read. */
  readonly definition: ChainDefinition;
  /** Phantom types for {@link InferInput} and {@link InferOutput}. */
  readonly '~types'?: { readonly input: TInput; readonly output: TOutput };

  /** Adds a step that runs after every earlier step. */
  step<const TName extends string, TOut>(
    name: FreshName<TName, TContext>,
    definition: StepDefinition<TContext, TOut>,
  ): Chain<TInput, WithStep<TContext, TName, TOut>, Outputs<WithStep<TContext, TName, TOut>>>;
  /** Adds a step that runs as soon as the steps it `needs` are done. */
  step<const TName extends string, TNeeds extends StepNames<TContext>, TOut>(
    name: FreshName<TName, TContext>,
    options: StepOptions<TNeeds>,
    definition: StepDefinition<NeedsContext<TContext, TNeeds>, TOut>,
  ): Chain<TInput, WithStep<TContext, TName, TOut>, Outputs<WithStep<TContext, TName, TOut>>>;

  /** Adds several steps that run side by side, each after every earlier step. */
  parallel<TSteps extends Record<string, StepDefinition<TContext, unknown>>>(
    steps: TSteps & { [K in keyof TSteps]: K extends keyof TContext ? never : TSteps[K] },
  ): Chain<
    TInput,
    Simplify<TContext & { [K in keyof TSteps]: StepOutput<TSteps[K]> }>,
    Outputs<TContext & { [K in keyof TSteps]: StepOutput<TSteps[K]> }>
  >;

  /**
   * Adds a fan-out: `over` computes the items, `definition` runs once per item (it receives the
   * item), and the step's output is the array of results in item order.
   */
  map<
    const TName extends string,
    TItem,
    TOut,
    TNeeds extends StepNames<TContext> = StepNames<TContext>,
    TOnError extends OnItemError = 'fail',
  >(
    name: FreshName<TName, TContext>,
    over: (
      context: NeedsContext<TContext, TNeeds>,
    ) => readonly TItem[] | PromiseLike<readonly TItem[]>,
    definition: StepDefinition<TItem, TOut>,
    options?: MapOptions<TNeeds, TOnError>,
  ): Chain<
    TInput,
    WithStep<TContext, TName, MapOutput<TOut, TOnError>>,
    Outputs<WithStep<TContext, TName, MapOutput<TOut, TOnError>>>
  >;

  /** Sets the chain's output from the context; without it the output is every step's output. */
  returns<TOut>(
    select: (context: TContext) => TOut | PromiseLike<TOut>,
  ): Chain<TInput, TContext, Awaited<TOut>>;
}

/** Any chain. */
export type AnyChain = Chain<any, any, any>;

/** The input type a chain accepts. */
export type InferInput<TChain extends AnyChain> = NonNullable<TChain['~types']>['input'];
/** The output type a chain resolves to. */
export type InferOutput<TChain extends AnyChain> = NonNullable<TChain['~types']>['output'];

/**
 * Starts a chain: a name (for traces) and a schema for its input (zod, or any Standard Schema).
 *
 * @example
 * ```ts
 * const research = chain('research', { input: z.object({ question: z.string() }) })
 *   .step('plan', llm({ prompt: ({ input }) => `Plan: ${input.question}` }))
 *   .returns(({ plan }) => plan.text);
 * ```
 */
export function chain<TSchema extends StandardSchemaV1>(
  name: string,
  options: { input: TSchema },
): Chain<
  StandardSchemaV1.InferInput<TSchema>,
  { input: StandardSchemaV1.InferOutput<TSchema> },
  Record<never, never>
> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ChainDefinitionError({
      chain: String(name),
      reason: 'invalid-option',
      message: `Expected the chain name to be a non-empty string, got \`${String(name)}\``,
    });
  }
  if (options?.input?.['~standard'] === undefined) {
    throw new ChainDefinitionError({
      chain: name,
      reason: 'invalid-option',
      message: 'Expected `input` to be a zod (or other Standard Schema) schema',
    });
  }
  return createBuilder({ name, input: options.input, steps: [] });
}

function createBuilder(definition: ChainDefinition): any {
  const add = (...nodes: StepNode[]) =>
    createBuilder({
      name: definition.name,
      input: definition.input,
      steps: [...definition.steps, ...nodes],
    });
  // A step without `needs` reads every earlier step, but only has to wait for the latest ones:
  // once the steps nothing depends on yet are done, everything before them is done too.
  const frontier = () => {
    const needed = new Set(definition.steps.flatMap((step) => step.needs));
    return definition.steps.filter((step) => !needed.has(step.id)).map((step) => step.id);
  };

  return {
    definition,
    step(name: string, ...rest: [StepDefinition] | [StepOptionsAny, StepDefinition]) {
      const [options, step] = rest.length === 1 ? [undefined, rest[0]] : rest;
      const needs = options ? resolveNeeds(definition, name, options.needs) : frontier();
      const node = checkedNode(definition, { id: name, kind: step?.kind, needs, definition: step });
      return add(options ? node : { ...node, readsAll: true });
    },
    parallel(steps: Record<string, StepDefinition>) {
      const needs = frontier();
      const nodes = Object.entries(steps ?? {}).map(([id, step]) => ({
        ...checkedNode(definition, { id, kind: step?.kind, needs, definition: step }),
        readsAll: true,
      }));
      return add(...nodes);
    },
    map(name: string, over: unknown, step: StepDefinition, options: MapOptionsAny = {}) {
      if (typeof over !== 'function') {
        throw new ChainDefinitionError({
          chain: definition.name,
          stepId: name,
          reason: 'invalid-option',
          message: 'Expected `over` to be a function that returns the items',
        });
      }
      const { concurrency = 8, expect, onItemError = 'fail' } = options;
      if (!['fail', 'skip', 'collect'].includes(onItemError)) {
        throw new ChainDefinitionError({
          chain: definition.name,
          stepId: name,
          reason: 'invalid-option',
          message: `Expected \`onItemError\` to be 'fail', 'skip' or 'collect', got \`${String(onItemError)}\``,
        });
      }
      assertWholeNumber(`${name}.concurrency`, concurrency);
      if (expect?.items !== undefined) assertWholeNumber(`${name}.expect.items`, expect.items, 0);
      const needs = options.needs ? resolveNeeds(definition, name, options.needs) : frontier();
      const node = checkedNode(definition, { id: name, kind: 'map', needs, definition: step });
      return add({
        ...node,
        readsAll: options.needs === undefined,
        over: over as StepNode['over'],
        concurrency,
        expectItems: expect?.items,
        onItemError,
      });
    },
    returns(select: unknown) {
      if (typeof select !== 'function') {
        throw new ChainDefinitionError({
          chain: definition.name,
          reason: 'invalid-option',
          message: 'Expected `.returns` to be given a function of the context',
        });
      }
      return createBuilder({ ...definition, returns: select as ChainDefinition['returns'] });
    },
  };
}

type StepOptionsAny = { needs?: readonly string[] };
type MapOptionsAny = StepOptionsAny & {
  concurrency?: number;
  expect?: { items?: number };
  onItemError?: OnItemError;
};

function resolveNeeds(definition: ChainDefinition, stepId: string, needs: unknown): string[] {
  if (!Array.isArray(needs)) {
    throw new ChainDefinitionError({
      chain: definition.name,
      stepId,
      reason: 'invalid-option',
      message: 'Expected `needs` to be an array of step names',
    });
  }
  const known = new Set(definition.steps.map((step) => step.id));
  for (const need of needs) {
    if (!known.has(need)) {
      const list = [...known].map((id) => `\`${id}\``).join(', ') || 'none yet';
      throw new ChainDefinitionError({
        chain: definition.name,
        stepId,
        reason: 'unknown-dependency',
        message: `needs \`${String(need)}\`, which is not an earlier step (earlier steps: ${list})`,
      });
    }
  }
  return [...new Set(needs as string[])];
}

function checkedNode(
  definition: ChainDefinition,
  node: { id: string; kind: unknown; needs: string[]; definition: StepDefinition },
): StepNode {
  const { id } = node;
  const fail = (reason: 'invalid-step-name' | 'duplicate-step' | 'invalid-step', message: string) =>
    new ChainDefinitionError({ chain: definition.name, stepId: String(id), reason, message });
  if (typeof id !== 'string' || !/^[A-Za-z_$][\w$-]*$/.test(id)) {
    throw fail('invalid-step-name', 'Expected a step name of letters, digits, `_`, `$` or `-`');
  }
  if (id === 'input') throw fail('invalid-step-name', '`input` is reserved for the chain input');
  if (definition.steps.some((step) => step.id === id)) {
    throw fail('duplicate-step', 'a step with this name already exists');
  }
  const kind = node.definition?.kind;
  if (kind !== 'llm' && kind !== 'fn') {
    throw fail('invalid-step', 'Expected a step definition made with `llm(...)` or `fn(...)`');
  }
  if (
    kind === 'llm' &&
    node.definition.prompt === undefined &&
    node.definition.messages === undefined
  ) {
    throw fail('invalid-step', 'an `llm` step needs a `prompt` or `messages`');
  }
  return {
    id,
    kind: node.kind === 'map' ? 'map' : kind,
    needs: node.needs,
    definition: node.definition,
  };
}
