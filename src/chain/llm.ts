import type { FlexibleSchema, InferSchema, ModelMessage } from 'ai';
import type {
  CallPath,
  CallTimeouts,
  LlmStepDefinition,
  LlmText,
  ModelStepOptions,
  Resolvable,
} from './step';

interface LlmBaseOptions<TArg> extends ModelStepOptions {
  /** System instructions. */
  system?: Resolvable<TArg, string>;
  /** Upper bound on output tokens; also the scheduler's hint for the output size. */
  maxOutputTokens?: number;
  /** Sampling temperature, passed to the model as is. @default the provider's */
  temperature?: number;
  /** Per-call time limits; they override the runtime's `timeouts`. */
  timeout?: CallTimeouts;
  /**
   * Whether a slow-to-start call may be raced against the next-fastest model (critical steps on
   * the fast lane only; never map items). @default true
   */
  hedge?: boolean;
  /**
   * How the model is called: `'auto'` calls the model's `doStream` directly for a text prompt
   * without tools (middleware and output validation kept, AI SDK telemetry not); `'streamText'`
   * always goes through the AI SDK's `streamText`. @default 'auto'
   */
  callPath?: CallPath;
}

interface LlmOutputOptions<TSchema> {
  /** A schema (zod or any AI SDK schema): the step then outputs a validated object. */
  output?: TSchema;
  /**
   * When the answer breaks `output`: ask the same model once more, in the same attempt, with the
   * broken answer and the schema's issues (both calls are billed). The second answer is not
   * streamed to step listeners. @default false
   */
  repair?: boolean;
}

type LlmPromptOptions<TArg> =
  | {
      /** The user prompt, or a function of the step's argument that returns it. */
      prompt: Resolvable<TArg, string>;
      messages?: never;
    }
  | {
      /** The conversation to send (AI SDK messages), or a function that returns it. */
      messages: Resolvable<TArg, ModelMessage[]>;
      prompt?: never;
    };

/** Options of {@link llm}: a prompt or messages, and optionally a schema for structured output. */
export type LlmOptions<
  TArg,
  TSchema extends FlexibleSchema | undefined = undefined,
> = LlmBaseOptions<TArg> & LlmPromptOptions<TArg> & LlmOutputOptions<TSchema>;

/**
 * A step that calls a language model through the AI SDK. Without `output` it returns
 * `{ text }`; with an `output` schema it returns the validated object.
 *
 * @example
 * ```ts
 * llm({
 *   prompt: ({ input }) => `Split into 3-8 web queries: ${input.question}`,
 *   output: z.object({ queries: z.array(z.string()) }),
 * })
 * ```
 */
export function llm<TArg, TSchema extends FlexibleSchema>(
  options: LlmOptions<TArg, TSchema> & { output: TSchema },
): LlmStepDefinition<TArg, InferSchema<TSchema>>;
export function llm<TArg>(options: LlmOptions<TArg>): LlmStepDefinition<TArg, LlmText>;
export function llm(options: LlmOptions<unknown, FlexibleSchema | undefined>): LlmStepDefinition {
  return { kind: 'llm', ...options } as LlmStepDefinition;
}
