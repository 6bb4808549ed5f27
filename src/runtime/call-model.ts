import type { LanguageModelUsage, ModelMessage } from 'ai';
import { Output, streamText } from 'ai';
import type { LlmStepDefinition } from '../chain';
import { agentStopWhen } from '../chain/agent';
import { addUsage, emptyUsage, type TokenUsage } from '../models/cost';
import type { PoolModel } from '../models/pool';
import { countCallTokens } from '../models/tokens';
import type { CallSpan } from '../tracing/records';

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
 * Calls the model through the AI SDK's `streamText` (streaming, so the first token is seen),
 * with the AI SDK's own retries off: hotpath owns retries. Structured steps go through
 * `Output.object`, which validates against the step's schema.
 */
export async function callModel(options: ModelCallOptions): Promise<ModelCallResult> {
  const { definition, prompt, entry, signal, progress } = options;
  const result = streamText({
    model: entry.model,
    ...(prompt.messages === undefined
      ? { prompt: prompt.prompt ?? '' }
      : { messages: prompt.messages }),
    system: prompt.system,
    output:
      definition.output === undefined ? undefined : Output.object({ schema: definition.output }),
    maxOutputTokens: options.maxOutputTokens ?? definition.maxOutputTokens,
    temperature: definition.temperature,
    abortSignal: signal,
    maxRetries: 0,
    onError: () => {},
    ...(definition.tools === undefined
      ? {}
      : {
          tools: definition.tools,
          stopWhen: agentStopWhen(definition),
          // Each round's prompt grows by the rounds before: count it, in case the round is cut.
          prepareStep: ({ messages }: { messages: ModelMessage[] }) => {
            progress.roundInputTokens = countCallTokens({ system: prompt.system, messages });
            return undefined;
          },
        }),
  });

  const spans =
    definition.tools === undefined ? undefined : trackSpans(progress, entry.id, options.now);
  for await (const part of result.fullStream) {
    spans?.(part);
    if (part.type === 'text-delta' || part.type === 'reasoning-delta') {
      progress.outputChars += part.text.length;
      if (part.type === 'text-delta') options.onDelta?.(part.text);
    }
    if (isOutput(part.type)) {
      progress.roundStreamed = true;
      if (progress.firstTokenAt === undefined) {
        progress.firstTokenAt = 0;
        options.onFirstToken();
      }
    } else if (part.type === 'finish-step') finishRound(progress, part.usage);
    if (part.type === 'error') throw signal.aborted ? signal.reason : part.error;
    if (part.type === 'abort') throw signal.reason ?? new Error('The model call was aborted');
  }
  const usage = toTokenUsage(await result.totalUsage);
  if (definition.tools !== undefined) {
    const steps = await result.steps;
    const toolCalls = steps.flatMap((step) =>
      step.toolResults.map((tool) => ({
        toolName: tool.toolName,
        input: tool.input,
        output: tool.output,
      })),
    );
    // A tool call streams out before its model call's `finish-step`: order the spans by start.
    progress.spans?.sort((a, b) => a.startMs - b.startMs);
    return { output: { text: await result.text, steps: steps.length, toolCalls }, usage };
  }
  const output =
    definition.output === undefined ? { text: await result.text } : await result.output;
  return { output, usage };
}

/**
 * Follows an agent's stream: each model call runs from the later of the previous call's
 * `finish-step` and the end of its tools to its own `finish-step`; each tool from its
 * `tool-call` to its result (which may come before or after its call's `finish-step`).
 */
function trackSpans(
  progress: CallProgress,
  model: string,
  now: () => number,
): (part: { type: string } & Record<string, any>) => void {
  const spans: CallSpan[] = [];
  progress.spans = spans;
  let callStart = now();
  let toolsEnd = 0;
  let betweenCalls = false;
  const tools = new Map<string, CallSpan>();
  return (part) => {
    if (part.type === 'start-step') betweenCalls = false;
    else if (part.type === 'finish-step') {
      const usage: LanguageModelUsage | undefined = part.usage;
      const endMs = now();
      spans.push({
        kind: 'model',
        name: model,
        startMs: callStart,
        endMs,
        outputTokens: usage?.outputTokens,
      });
      callStart = Math.max(endMs, toolsEnd);
      betweenCalls = true;
    } else if (part.type === 'tool-call') {
      const span: CallSpan = { kind: 'tool', name: part.toolName, startMs: now(), endMs: now() };
      tools.set(part.toolCallId, span);
      spans.push(span);
    } else if (part.type === 'tool-result' || part.type === 'tool-error') {
      const span = tools.get(part.toolCallId);
      if (span) span.endMs = now();
      toolsEnd = now();
      if (betweenCalls) callStart = Math.max(callStart, toolsEnd);
    }
  };
}

/** A model call finished: what the provider reported for it is billed as it is. */
function finishRound(progress: CallProgress, usage: LanguageModelUsage): void {
  progress.finished = addUsage(progress.finished ?? emptyUsage(), toTokenUsage(usage));
  progress.finishedChars = progress.outputChars;
  progress.roundStreamed = false;
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
