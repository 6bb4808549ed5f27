import type { FlexibleSchema, ModelMessage, StopCondition, ToolSet } from 'ai';
import type { OptionKeys } from '../errors/option-checks';

/** The lane a step runs in: `fast` (the critical path's models) or `cheap` (work with slack). */
export type Lane = 'fast' | 'cheap';

/** Hints for the scheduler's predictions. */
export interface StepExpectation {
  /** Expected input (prompt) tokens of one call. */
  inputTokens?: number;
  /** Expected output tokens of one call. */
  outputTokens?: number;
  /** The part of `inputTokens` expected from the provider's prompt cache. @default 0 */
  cachedInputTokens?: number;
  /**
   * For an agent: the model calls one run of the step makes (tool rounds + 1), each a call on
   * the critical path. @default half of `maxSteps`, rounded up
   */
  calls?: number;
  /** For an agent: time one round of tool executions takes, in milliseconds. @default 0 */
  toolMs?: number;
}

/** Capabilities a step needs from its model, beyond what its other options imply. */
export interface StepRequirements {
  /** The step calls tools: only models with tool calling are candidates. @default false */
  tools?: boolean;
}

/** `'auto'`: the model's `doStream` for plain and structured steps; `'streamText'`: always the AI SDK's. */
export type CallPath = 'auto' | 'streamText';

/** Options shared by every model-calling step: where it may run. */
export interface ModelStepOptions {
  /** Pin the step to a lane instead of letting the objective choose. */
  lane?: Lane;
  /** Restrict the step to these model ids (in the pool). */
  models?: readonly string[];
  /**
   * Residency: the step's calls go only to endpoints in these regions (`['eu']` allows `eu`
   * and `eu-*`), also on fallback and hedging; an endpoint without a region is in none. With
   * the runtime's or run's `regions`, an endpoint must be in both. @default anywhere
   */
  regions?: readonly string[];
  /** Hints for the scheduler's duration and cost predictions. */
  expect?: StepExpectation;
  /** Capabilities the step's model must have. */
  requires?: StepRequirements;
  /**
   * Whether the development cache may reuse this step's stored result (or each item's, in a
   * map) when its definition, resolved prompt, model and inputs are the same. Needs a `store`.
   * @default the runtime's `cache` option
   */
  cache?: boolean;
}

/** The text result of an `llm` step without an `output` schema. */
export interface LlmText {
  text: string;
}

/** Time limits of one model call, in milliseconds. */
export interface CallTimeouts {
  /**
   * Abort (and retry or fall back) when no token has come after this long; `false` for no limit.
   * @default 5 times the model's expected first token (round trip, first-token time and
   * prefill of the prompt), at least 10 s
   */
  firstTokenMs?: number | false;
  /**
   * Abort (and retry or fall back) when the call has not finished after this long; `false` for
   * no limit.
   * @default the first-token limit plus 3 times the time to decode the output cap
   * (`maxOutputTokens`, else the runtime's `defaultMaxOutputTokens`) at the model's speed, at
   * least 20 s more; for an agent, that for each of its `maxSteps` model calls
   */
  totalMs?: number | false;
  /**
   * Abort (and retry or fall back) when a call that has started to stream sends nothing for this
   * long, so a stream that stalls mid-way fails in a few expected gaps, not at `totalMs`; `false`
   * for no limit. Checked every half limit, so a stalled stream is cut 1 to 1.5 times this after
   * its last chunk. It runs from the first token (the first-token limit covers the wait before).
   * @default 10 times the time the model takes to decode 64 tokens (a diffusion model's block,
   * the largest chunk streamed), at least 10 s
   */
  idleMs?: number | false;
}

/** A value, or a function of the step's argument that computes it. */
export type Resolvable<TArg, TValue> = TValue | ((arg: TArg) => TValue);

/** The runtime definition of an `llm` step (see {@link llm}). */
export interface LlmStepDefinition<TArg = any, TOutput = unknown> extends ModelStepOptions {
  readonly kind: 'llm';
  readonly prompt?: Resolvable<TArg, string>;
  readonly messages?: Resolvable<TArg, ModelMessage[]>;
  readonly system?: Resolvable<TArg, string>;
  readonly output?: FlexibleSchema<TOutput>;
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  /** Per-call time limits; they override the runtime's `timeouts`. */
  readonly timeout?: CallTimeouts;
  /**
   * Whether the call may be raced against a second model when it is slow to start (critical
   * steps on the fast lane only; never map items). @default true
   */
  readonly hedge?: boolean;
  /** An agent's tools (see {@link agent}): the model may call them in a loop. */
  readonly tools?: ToolSet;
  /** An agent's limit on model calls (tool rounds + the final answer). */
  readonly maxSteps?: number;
  /** An agent's stop conditions (see {@link agent}); any one stops its tool loop. */
  readonly stopWhen?: readonly StopCondition<ToolSet>[];
  /** How the model is called (see `llm`'s `callPath`). */
  readonly callPath?: CallPath;
  /** Whether an answer that breaks `output` is asked for once more, with the schema's issues. */
  readonly repair?: boolean;
  /** Which of an agent's tools run when its model is emulated (see {@link agent}). @default 'run' */
  readonly emulatedTools?: EmulatedTools;
  /** Phantom: the step's output type. Never set at run time. */
  readonly '~output'?: TOutput;
}

/**
 * Every key of {@link LlmStepDefinition} (the options of `llm` and `agent`), for the
 * unknown-option check: a new option goes in the type and here (the compiler insists).
 */
export const llmStepKeys: OptionKeys<LlmStepDefinition> = {
  kind: true,
  prompt: true,
  messages: true,
  system: true,
  output: true,
  maxOutputTokens: true,
  callPath: true,
  repair: true,
  temperature: true,
  timeout: true,
  hedge: true,
  tools: true,
  maxSteps: true,
  stopWhen: true,
  emulatedTools: true,
  '~output': true,
  lane: true,
  models: true,
  regions: true,
  expect: true,
  requires: true,
  cache: true,
};

/** Every key of {@link StepExpectation}. */
export const stepExpectationKeys: OptionKeys<StepExpectation> = {
  inputTokens: true,
  outputTokens: true,
  cachedInputTokens: true,
  calls: true,
  toolMs: true,
};

/**
 * What an agent's tools do on an emulated model, whose tool-call arguments are invented: `'run'`
 * them all (right for tools without side effects), `'skip'` them all, or skip the tools named.
 */
export type EmulatedTools = 'run' | 'skip' | readonly string[];

/** What a `fn` step's function receives besides its argument. */
export interface FnStepContext {
  /** Aborted when the run is cancelled or fails elsewhere. */
  readonly signal: AbortSignal;
}

/** The runtime definition of a `fn` step (see {@link fn}). */
export interface FnStepDefinition<TArg = any, TOutput = unknown> {
  readonly kind: 'fn';
  readonly run: (arg: TArg, context: FnStepContext) => TOutput | PromiseLike<TOutput>;
  /** Expected duration in milliseconds, for the scheduler. @default 0 */
  readonly expect?: { durationMs?: number };
  readonly '~output'?: TOutput;
}

/** Every key of {@link FnStepDefinition}. */
export const fnStepKeys: OptionKeys<FnStepDefinition> = {
  kind: true,
  run: true,
  expect: true,
  '~output': true,
};

/** Any step definition that `.step`, `.parallel` and `.map` accept. */
export type StepDefinition<TArg = any, TOutput = unknown> =
  | LlmStepDefinition<TArg, TOutput>
  | FnStepDefinition<TArg, TOutput>;

/** The output type of a step definition. */
export type StepOutput<TStep> = TStep extends { readonly '~output'?: infer TOutput }
  ? TOutput
  : never;
