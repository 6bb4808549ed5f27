import { ChainDefinitionError } from '../errors';
import { checkRegions } from '../models/regions';
import { createBuilder } from './builder';
import type { ChainDefinition } from './graph';
import type { StandardSchemaV1 } from './standard-schema';
import type { StepDefinition } from './step';

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
  /** The steps this one reads; it starts as soon as they are done (without options: every earlier step). */
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
  /**
   * How many items run at once (with a runtime `executor`, the workers' own `concurrency` bounds
   * them instead). @default 8
   */
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
  /**
   * Start items while the step that produces them still streams: `over` is called on each
   * partial output of that step (its one need that is an `llm` step with an `output` schema)
   * and every item but the last it returns starts at once, in order; when the producer is done,
   * `over` on its final output gives every item. The output is the same as without `pipeline`.
   * `over` then sees a deep-partial context (any field may be missing, the last array element
   * may be cut short), so it must tolerate missing fields: `({ plan }) => plan?.queries ?? []`.
   * @default false
   */
  pipeline?: boolean;
}

/**
 * A value as it stands while it streams: every field may be missing, arrays hold what has come.
 */
export type PartialOutput<T> = T extends readonly (infer TItem)[]
  ? PartialOutput<TItem>[]
  : T extends object
    ? { [K in keyof T]?: PartialOutput<T[K]> }
    : T;

/** What a pipelined map's `over` reads: the input whole, each step's output maybe partial. */
export type PartialContext<TContext> = Simplify<{
  [K in keyof TContext]: K extends 'input' ? TContext[K] : PartialOutput<TContext[K]> | undefined;
}>;

/**
 * A chain the runtime can plan and run: its definition and, as phantom types, its input and
 * output. `.returns(...)` gives one; it has no builder methods, so the chain ends there.
 */
export interface RunnableChain<TInput, TOutput> {
  /** The plain definition the scheduler and runtime read. */
  readonly definition: ChainDefinition;
  /** Phantom types for {@link InferInput} and {@link InferOutput}. */
  readonly '~types'?: { readonly input: TInput; readonly output: TOutput };
}

/**
 * An immutable chain builder: every method returns a new chain. The context type grows with
 * each step, so a later step sees earlier outputs by name with their types.
 */
export interface Chain<TInput, TContext extends ChainContext, TOutput>
  extends RunnableChain<TInput, TOutput> {
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

  /**
   * Adds several steps that run side by side, each after every earlier step. Each definition
   * reads the same typed context as a `.step` would; a name already in the chain is an error.
   */
  parallel<TOuts extends Record<string, unknown>>(
    steps: {
      [K in keyof TOuts]: K extends keyof TContext ? never : StepDefinition<TContext, TOuts[K]>;
    },
  ): Chain<TInput, Simplify<TContext & TOuts>, Outputs<TContext & TOuts>>;

  /**
   * Adds a pipelined fan-out (`pipeline: true`): items start while the step they come from still
   * streams. `over` reads a deep-partial context and must tolerate missing fields.
   *
   * @example
   * ```ts
   * .map('answers', ({ plan }) => plan?.queries ?? [], llm({ prompt: (q: string) => q }), {
   *   pipeline: true,
   * })
   * ```
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
      context: PartialContext<NeedsContext<TContext, TNeeds>>,
    ) => readonly TItem[] | PromiseLike<readonly TItem[]>,
    definition: StepDefinition<TItem, TOut>,
    options: MapOptions<TNeeds, TOnError> & { pipeline: true },
  ): Chain<
    TInput,
    WithStep<TContext, TName, MapOutput<TOut, TOnError>>,
    Outputs<WithStep<TContext, TName, MapOutput<TOut, TOnError>>>
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

  /**
   * Sets the chain's output from the context and ends the chain: the result has no `.step`,
   * `.parallel`, `.map` or `.returns`. Without it the output is every step's output.
   */
  returns<TOut>(
    select: (context: TContext) => TOut | PromiseLike<TOut>,
  ): RunnableChain<TInput, Awaited<TOut>>;
}

/** Any chain the runtime can run: a builder, or a chain ended by `.returns`. */
export type AnyChain = RunnableChain<any, any>;

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
  options: {
    input: TSchema;
    /**
     * Residency: every call of the chain goes only to endpoints in these regions (`['eu']`
     * allows `eu` and `eu-*`), within the runtime's and a run's. @default anywhere
     */
    regions?: readonly string[];
  },
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
  checkRegions('regions', options.regions);
  return createBuilder({
    name,
    input: options.input,
    ...(options.regions !== undefined && { regions: [...options.regions] }),
    steps: [],
  });
}
