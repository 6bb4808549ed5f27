import type { ModelMessage } from 'ai';
import type { LlmStepDefinition } from '../chain';
import type { TokenUsage } from '../models/cost';
import type { PoolModel } from '../models/pool';
import { countCallTokens } from '../models/tokens';
import type { CallSpan } from '../tracing/records';
import { callProvider } from './provider-call';
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
  /** Called once, when the first output arrives. */
  readonly onFirstToken: () => void;
  /** Hears every text delta (for a structured step, JSON text) as it arrives. */
  readonly onDelta?: (text: string) => void;
  /** Run time now, for an agent's spans. */
  readonly now: () => number;
}

/** Resolves a step's prompt, messages and system text for its argument. */
export function resolvePrompt(definition: LlmStepDefinition, arg: unknown): ResolvedPrompt {
  const prompt = resolve(definition.prompt, arg);
  const messages = resolve(definition.messages, arg);
  const system = resolve(definition.system, arg);
  return { prompt, messages, system, inputTokens: countCallTokens({ system, prompt, messages }) };
}

/**
 * Calls the step's model. A plain or structured step with a text prompt goes straight to the
 * model's `doStream` ({@link callProvider}); agents with tools, message prompts, models of an
 * older specification and steps with `callPath: 'streamText'` go through the AI SDK's
 * `streamText` ({@link callStreamText}). Both read the stream once and see the first token.
 */
export function callModel(options: ModelCallOptions): Promise<ModelCallResult> {
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
