import type { ModelMessage, ToolSet } from 'ai';
import { assertWholeNumber } from '../errors';
import type { CallTimeouts, LlmStepDefinition, ModelStepOptions, Resolvable } from './step';

/** One tool call an agent made, with what the tool returned. */
export interface AgentToolCall {
  readonly toolName: string;
  readonly input: unknown;
  readonly output: unknown;
}

/** The result of an {@link agent} step. */
export interface AgentResult {
  /** The final answer. */
  text: string;
  /** Model calls made (tool rounds + the final answer). */
  steps: number;
  toolCalls: AgentToolCall[];
}

/** Options of {@link agent}. */
export type AgentOptions<TArg> = ModelStepOptions & {
  /** Tools made with the AI SDK's `tool({ description, inputSchema, execute })`. */
  tools: ToolSet;
  /** The most model calls one run may make (tool rounds + the final answer). @default 5 */
  maxSteps?: number;
  system?: Resolvable<TArg, string>;
  maxOutputTokens?: number;
  temperature?: number;
  timeout?: CallTimeouts;
} & (
    | { prompt: Resolvable<TArg, string>; messages?: never }
    | { messages: Resolvable<TArg, ModelMessage[]>; prompt?: never }
  );

/**
 * A step that runs a tool loop on the AI SDK: the model calls tools until it answers or reaches
 * `maxSteps`. The scheduler sees its model calls as sequential calls on the critical path, only
 * models with tool calling are candidates, and the trace lists every model call and tool run.
 *
 * @example
 * ```ts
 * agent({
 *   prompt: ({ input }) => `Find the weather in ${input.city}`,
 *   tools: { weather: tool({ inputSchema: z.object({ city: z.string() }), execute: lookUp }) },
 *   maxSteps: 4,
 * })
 * ```
 */
export function agent<TArg>(options: AgentOptions<TArg>): LlmStepDefinition<TArg, AgentResult> {
  const maxSteps = options.maxSteps ?? 5;
  assertWholeNumber('maxSteps', maxSteps);
  return {
    kind: 'llm',
    ...options,
    maxSteps,
    requires: { ...options.requires, tools: true },
  } as LlmStepDefinition<TArg, AgentResult>;
}
