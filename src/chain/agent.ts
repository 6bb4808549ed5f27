import type { InferToolInput, InferToolOutput, ModelMessage, StopCondition, ToolSet } from 'ai';
import { stepCountIs } from 'ai';
import { assertWholeNumber, InvalidArgumentError } from '../errors';
import type {
  CallTimeouts,
  EmulatedTools,
  LlmStepDefinition,
  ModelStepOptions,
  Resolvable,
} from './step';

/**
 * One tool call an agent made, with what the tool returned. With the tools' types known, a
 * union by `toolName`: narrowing on the name types `input` and `output` from that tool.
 */
export type AgentToolCall<TTools extends ToolSet = ToolSet> = {
  [TName in keyof TTools & string]: {
    readonly toolName: TName;
    readonly input: InferToolInput<TTools[TName]>;
    readonly output: InferToolOutput<TTools[TName]>;
  };
}[keyof TTools & string];

/** The result of an {@link agent} step. */
export interface AgentResult<TTools extends ToolSet = ToolSet> {
  /** The final answer. */
  text: string;
  /** Model calls made (tool rounds + the final answer). */
  steps: number;
  toolCalls: AgentToolCall<TTools>[];
}

/** When an agent's tool loop stops: one AI SDK stop condition, or several (any one stops it). */
export type AgentStopWhen<TTools extends ToolSet = ToolSet> =
  | StopCondition<TTools>
  | readonly StopCondition<TTools>[];

/** The model calls an agent makes at most when neither `maxSteps` nor `stopWhen` is set. */
export const defaultMaxSteps = 5;

/** Options of {@link agent}. */
export type AgentOptions<TArg, TTools extends ToolSet = ToolSet> = ModelStepOptions & {
  /** Tools made with the AI SDK's `tool({ description, inputSchema, execute })`. */
  tools: TTools;
  /**
   * When the tool loop stops, as in the AI SDK: `stepCountIs(n)`, `hasToolCall(name)`, a
   * function of the steps so far, or an array of them (any one stops the loop). The loop also
   * stops when the model answers without a tool call.
   * @default stepCountIs(maxSteps)
   */
  stopWhen?: AgentStopWhen<TTools>;
  /**
   * Shorthand for `stopWhen: stepCountIs(maxSteps)`: the most model calls one run may make
   * (tool rounds + the final answer). With `stopWhen` too, the loop stops at whichever comes
   * first. It also sizes the scheduler's prediction (`expect.calls`, default half of it).
   * @default 5 (when `stopWhen` is not set)
   */
  maxSteps?: number;
  /**
   * What the tools do when the step's model is emulated (the built-in emulator, or the catalog
   * over `hotpath emulate`): the emulator invents the arguments of every tool call, so a tool
   * with side effects would act on made-up data. `'run'` runs every tool as asked; `'skip'` runs
   * none; a list of names skips those. A skipped tool is not executed: the model gets
   * `{ skipped: true, reason }` as its result, and so does the step's `toolCalls`.
   * @default 'run'
   */
  emulatedTools?: EmulatedTools;
  /** The system prompt, or a function of the step's input that returns it. */
  system?: Resolvable<TArg, string>;
  /** The output cap of each model call. @default the runtime's `defaultMaxOutputTokens` under a budget */
  maxOutputTokens?: number;
  /** Sampling temperature, passed to the model as is. @default the provider's */
  temperature?: number;
  /** Per-call time limits; they override the runtime's `timeouts`. */
  timeout?: CallTimeouts;
} & (
    | { prompt: Resolvable<TArg, string>; messages?: never }
    | { messages: Resolvable<TArg, ModelMessage[]>; prompt?: never }
  );

/**
 * A step that runs a tool loop on the AI SDK: the model calls tools until it answers or a stop
 * condition holds (`stopWhen`, or `maxSteps` model calls). The scheduler sees its model calls
 * as sequential calls on the critical path, only models with tool calling are candidates, and
 * the trace lists every model call and tool run.
 *
 * On the emulator (no provider key set) the model's tool calls carry invented arguments and the
 * tools run with them: keep tools with side effects from running there with `emulatedTools`.
 *
 * @example
 * ```ts
 * chain('weather', { input: z.object({ city: z.string() }) }).step(
 *   'answer',
 *   agent({
 *     prompt: ({ input }) => `Find the weather in ${input.city}`,
 *     tools: { weather: tool({ inputSchema: z.object({ city: z.string() }), execute: lookUp }) },
 *     stopWhen: stepCountIs(4),
 *   }),
 * );
 * ```
 */
export function agent<TArg, TTools extends ToolSet>(
  options: AgentOptions<TArg, TTools>,
): LlmStepDefinition<TArg, AgentResult<TTools>> {
  const { stopWhen } = options;
  checkAgentOnly(options);
  if (options.maxSteps !== undefined) assertWholeNumber('maxSteps', options.maxSteps);
  const conditions = stopWhen === undefined ? [] : Array.isArray(stopWhen) ? stopWhen : [stopWhen];
  for (const [index, condition] of conditions.entries()) {
    if (typeof condition !== 'function') {
      const at = Array.isArray(stopWhen) ? `stopWhen[${index}]` : 'stopWhen';
      throw new InvalidArgumentError({
        argument: at,
        expected: 'a stop condition such as `stepCountIs(5)` from `ai`',
        value: condition,
      });
    }
  }
  const maxSteps = options.maxSteps ?? (stopWhen === undefined ? defaultMaxSteps : undefined);
  return {
    kind: 'llm',
    ...options,
    maxSteps,
    stopWhen: stopWhen === undefined ? undefined : conditions,
    requires: { ...options.requires, tools: true },
  } as unknown as LlmStepDefinition<TArg, AgentResult<TTools>>;
}

/** `llm` options an agent does not take: it always runs on `streamText`, and answers in text. */
const llmOnlyKeys = ['output', 'repair', 'hedge', 'callPath'] as const;

/**
 * What TypeScript already refuses, for JavaScript callers: an agent without `tools` would run
 * as a plain `llm` step, and `llm`-only options would be taken and never used.
 */
function checkAgentOnly(options: object): void {
  const given = options as Record<string, unknown>;
  const tools = given.tools;
  if (typeof tools !== 'object' || tools === null || Array.isArray(tools)) {
    throw new InvalidArgumentError({
      argument: 'tools',
      expected: 'a tool set (`{ name: tool({ inputSchema, execute }) }`); without tools use `llm`',
      value: tools,
    });
  }
  for (const key of llmOnlyKeys) {
    if (given[key] === undefined) continue;
    throw new InvalidArgumentError({
      argument: key,
      message: `Unknown option \`${key}\` of \`agent\`: it is an \`llm\` option that agents do not take`,
    });
  }
}

/**
 * The AI SDK `stopWhen` of an agent step: its own conditions, plus `stepCountIs(maxSteps)`
 * when it has a `maxSteps` (the default 5 when neither is set).
 */
export function agentStopWhen(definition: LlmStepDefinition): StopCondition<ToolSet>[] {
  const conditions = [...(definition.stopWhen ?? [])];
  const maxSteps = definition.maxSteps ?? (conditions.length === 0 ? defaultMaxSteps : undefined);
  if (maxSteps !== undefined) conditions.push(stepCountIs(maxSteps));
  return conditions;
}
