import type { LanguageModelUsage } from 'ai';
import { Output, streamText } from 'ai';
import type { LlmStepDefinition } from '../chain';
import type { TokenUsage } from '../models/cost';
import type { PoolModel } from '../models/pool';

/** The result of one model call: the step's output and the tokens it used. */
export interface ModelCallResult {
  readonly output: unknown;
  readonly usage: TokenUsage;
}

/** What one call needs. */
export interface ModelCallOptions {
  readonly definition: LlmStepDefinition;
  /** The step's argument, for prompts given as functions. */
  readonly arg: unknown;
  readonly entry: PoolModel;
  readonly signal: AbortSignal;
  /** Called once, when the first output arrives. */
  readonly onFirstToken: () => void;
}

/**
 * Calls the model through the AI SDK's `streamText` (streaming, so the first token is seen),
 * with the AI SDK's own retries off: hotpath owns retries. Structured steps go through
 * `Output.object`, which validates against the step's schema.
 */
export async function callModel({
  definition,
  arg,
  entry,
  signal,
  onFirstToken,
}: ModelCallOptions): Promise<ModelCallResult> {
  const prompt = resolve(definition.prompt, arg);
  const messages = resolve(definition.messages, arg);
  const result = streamText({
    model: entry.model,
    ...(messages === undefined ? { prompt: prompt ?? '' } : { messages }),
    system: resolve(definition.system, arg),
    output:
      definition.output === undefined ? undefined : Output.object({ schema: definition.output }),
    maxOutputTokens: definition.maxOutputTokens,
    temperature: definition.temperature,
    abortSignal: signal,
    maxRetries: 0,
    onError: () => {},
  });

  let first = true;
  for await (const part of result.fullStream) {
    if (first && isOutput(part.type)) {
      first = false;
      onFirstToken();
    }
    if (part.type === 'error') throw part.error;
    if (part.type === 'abort') throw signal.reason ?? new Error('The model call was aborted');
  }
  const usage = toTokenUsage(await result.totalUsage);
  const output =
    definition.output === undefined ? { text: await result.text } : await result.output;
  return { output, usage };
}

function isOutput(type: string): boolean {
  return type === 'text-delta' || type === 'reasoning-delta' || type === 'tool-input-start';
}

function resolve<T>(value: T | ((arg: unknown) => T) | undefined, arg: unknown): T | undefined {
  return typeof value === 'function' ? (value as (arg: unknown) => T)(arg) : value;
}

/** The AI SDK's usage as hotpath's token counts (missing figures count as 0). */
export function toTokenUsage(usage: LanguageModelUsage): TokenUsage {
  return {
    inputTokens: usage.inputTokens ?? 0,
    cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens ?? 0,
  };
}
