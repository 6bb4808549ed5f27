import { type ModelMessage, NoObjectGeneratedError } from 'ai';
import type { LlmStepDefinition } from '../chain';
import { addUsage, emptyUsage, type TokenUsage } from '../models/cost';
import type { PoolModel } from '../models/pool';
import { countCallTokens } from '../models/tokens';
import type { CallSpan } from '../tracing/records';
import { checkResolvedPrompt } from './check-resolved-prompt';
import { callProvider } from './provider-call';
import { validationMessage } from './schema-issues';
import { callStreamText } from './stream-text-call';

/** The result of one model call: the step's output and the tokens it used. */
export interface ModelCallResult {
  readonly output: unknown;
  readonly usage: TokenUsage;
}

/** A call's prompt, resolved from the step's definition and argument. */
export interface ResolvedPrompt {
  readonly prompt?: string;
  readonly messages?: ModelMessage[];
  readonly system?: string;
  /**
   * Input tokens (about 4 characters a token, counted as the emulator counts them), for limits,
   * budgets and the bill of a call cut before its usage arrived.
   */
  readonly inputTokens: number;
}

/** What a call has streamed so far: lets a failed or abandoned call still be accounted for. */
export interface CallProgress {
  firstTokenAt?: number;
  outputChars: number;
  /** Usage the provider reported for the model calls that finished (an agent's earlier rounds). */
  finished?: TokenUsage;
  /** `outputChars` when the last model call finished. */
  finishedChars?: number;
  /** Whether the model call in progress has streamed output. */
  roundStreamed?: boolean;
  /** The prompt tokens of the model call in progress, when it is not the first (agents). */
  roundInputTokens?: number;
  /** An agent's model calls and tool runs, as they happen. */
  spans?: CallSpan[];
}

/** What one call needs. */
export interface ModelCallOptions {
  readonly definition: LlmStepDefinition;
  readonly prompt: ResolvedPrompt;
  readonly entry: PoolModel;
  readonly signal: AbortSignal;
  readonly progress: CallProgress;
  /** Overrides the step's `maxOutputTokens` (a budget caps calls that set none). */
  readonly maxOutputTokens?: number;
  /**
   * Called once, when the first output arrives, with the text that came with it (a diffusion
   * model's first block is many tokens; empty for a tool call's start).
   */
  readonly onFirstToken: (text: string) => void;
  /** Hears every text delta (for a structured step, JSON text) as it arrives. */
  readonly onDelta?: (text: string) => void;
  /** Run time now, for an agent's spans. */
  readonly now: () => number;
}

/**
 * Resolves a step's prompt, messages and system text for its argument; throws when a function
 * returned the wrong type (see {@link checkResolvedPrompt}).
 */
export function resolvePrompt(definition: LlmStepDefinition, arg: unknown): ResolvedPrompt {
  const prompt = resolve(definition.prompt, arg);
  const messages = resolve(definition.messages, arg);
  const system = resolve(definition.system, arg);
  checkResolvedPrompt(definition, { prompt, messages, system });
  return { prompt, messages, system, inputTokens: countCallTokens({ system, prompt, messages }) };
}

/**
 * Calls the step's model. A plain or structured step with a text prompt goes straight to the
 * model's `doStream` ({@link callProvider}); agents with tools, message prompts, models of an
 * older specification and steps with `callPath: 'streamText'` go through the AI SDK's
 * `streamText` ({@link callStreamText}). Both read the stream once and see the first token.
 */
export function callModel(options: ModelCallOptions): Promise<ModelCallResult> {
  const { definition } = options;
  if (definition.repair !== true || definition.output === undefined) return callOnce(options);
  return callOnce(options).catch((error: unknown) => {
    if (!NoObjectGeneratedError.isInstance(error) || options.signal.aborted) throw error;
    return repairCall(options, error);
  });
}

/** Tokens a repair prompt adds besides the broken answer: the instructions and the issues. */
export const repairTokens = 120;

/**
 * Asks once more for an answer that broke the step's schema, with the broken answer and the
 * schema's issues; both calls are billed. A second failure fails the attempt as the first would.
 */
async function repairCall(
  options: ModelCallOptions,
  error: NoObjectGeneratedError,
): Promise<ModelCallResult> {
  const first =
    options.progress.finished ?? usageSoFar(options.progress, options.prompt.inputTokens);
  const prompt = repairPrompt(options.prompt, error.text ?? '', validationMessage(error));
  const progress: CallProgress = { outputChars: 0 };
  try {
    const second = await callOnce({
      ...options,
      prompt,
      progress,
      onDelta: undefined,
      onFirstToken: () => {},
    });
    return { output: second.output, usage: addUsage({ ...first }, second.usage) };
  } catch (failure) {
    // Billed: what the first call reported, and what the second used or streamed.
    options.progress.finished = addUsage({ ...first }, usageSoFar(progress, prompt.inputTokens));
    options.progress.finishedChars = options.progress.outputChars;
    options.progress.roundStreamed = false;
    throw failure;
  }
}

/** The step's prompt with the broken answer and what was wrong with it. */
function repairPrompt(prompt: ResolvedPrompt, text: string, issues: string): ResolvedPrompt {
  const ask = `Your answer did not match the required JSON schema: ${issues}. Answer again with only JSON that matches the schema.`;
  if (prompt.messages !== undefined) {
    const messages: ModelMessage[] = [
      ...prompt.messages,
      { role: 'assistant', content: text },
      { role: 'user', content: ask },
    ];
    const { system } = prompt;
    return { system, messages, inputTokens: countCallTokens({ system, messages }) };
  }
  const asked = `${prompt.prompt ?? ''}\n\nYour previous answer:\n${text}\n\n${ask}`;
  const { system } = prompt;
  return { system, prompt: asked, inputTokens: countCallTokens({ system, prompt: asked }) };
}

/**
 * What a call that failed or was stopped is billed: the usage the provider reported for the model
 * calls that finished (an agent's earlier rounds), and for the one in progress, when it streamed,
 * its prompt and what it sent (about 4 characters a token), counted as the emulator counts them.
 * A call stopped before its first token costs nothing, as providers bill.
 */
export function usageSoFar(progress: CallProgress, promptTokens: number): TokenUsage {
  const usage = progress.finished === undefined ? emptyUsage() : { ...progress.finished };
  if (progress.roundStreamed) {
    usage.inputTokens += progress.roundInputTokens ?? promptTokens;
    usage.outputTokens += Math.ceil((progress.outputChars - (progress.finishedChars ?? 0)) / 4);
  }
  return usage;
}

function callOnce(options: ModelCallOptions): Promise<ModelCallResult> {
  const { definition, prompt, entry } = options;
  const model = entry.model;
  const direct =
    definition.callPath !== 'streamText' &&
    definition.tools === undefined &&
    prompt.messages === undefined &&
    typeof model === 'object' &&
    model.specificationVersion === 'v4';
  return direct ? callProvider(options, model) : callStreamText(options);
}

function resolve<T>(value: T | ((arg: unknown) => T) | undefined, arg: unknown): T | undefined {
  return typeof value === 'function' ? (value as (arg: unknown) => T)(arg) : value;
}
