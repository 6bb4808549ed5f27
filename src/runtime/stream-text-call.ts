import type { LanguageModelUsage, ModelMessage } from 'ai';
import { streamText } from 'ai';
import { agentStopWhen } from '../chain/agent';
import { addUsage, emptyUsage, type TokenUsage } from '../models/cost';
import { countCallTokens } from '../models/tokens';
import type { CallSpan } from '../tracing/records';
import type { CallProgress, ModelCallOptions, ModelCallResult } from './call-model';
import { toolsForModel } from './emulated-tools';
import { streamPartError } from './stream-part-error';
import { objectOutput, parseStructured } from './structured-output';

/**
 * Calls the model through the AI SDK's `streamText` (agents with tools, message prompts, and any
 * step that asks for it), with the AI SDK's own retries off: hotpath owns retries. The full stream
 * is read once: text, usage, steps and tool results come from its parts, never from the result's
 * getters (each of which would tee the stream again). Structured output is validated by
 * `Output.object`'s parser, the same one `result.output` uses.
 */
export async function callStreamText(options: ModelCallOptions): Promise<ModelCallResult> {
  const { definition, prompt, entry, signal, progress } = options;
  const schema = definition.output;
  const result = streamText({
    model: entry.model,
    ...(prompt.messages === undefined
      ? { prompt: prompt.prompt ?? '' }
      : { messages: prompt.messages }),
    system: prompt.system,
    output: schema === undefined ? undefined : objectOutput(schema),
    maxOutputTokens: options.maxOutputTokens ?? definition.maxOutputTokens,
    temperature: definition.temperature,
    abortSignal: signal,
    maxRetries: 0,
    onError: () => {},
    ...(definition.tools === undefined
      ? {}
      : {
          tools: toolsForModel(definition, entry),
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
  const onDelta = options.onDelta;
  let text = '';
  let steps = 0;
  let usage: LanguageModelUsage | undefined;
  let finishReason: Parameters<typeof parseStructured>[2]['finishReason'] = 'other';
  const toolCalls: { toolName: string; input: unknown; output: unknown }[] = [];
  for await (const part of result.fullStream) {
    spans?.(part);
    if (part.type === 'text-delta' || part.type === 'reasoning-delta') {
      progress.outputChars += part.text.length;
      if (part.type === 'text-delta') {
        text += part.text;
        onDelta?.(part.text);
      }
    } else if (part.type === 'start-step') text = '';
    else if (part.type === 'finish-step') {
      steps += 1;
      finishRound(progress, part.usage);
    } else if (part.type === 'tool-result' && part.preliminary !== true)
      toolCalls.push({ toolName: part.toolName, input: part.input, output: part.output });
    else if (part.type === 'finish') {
      usage = part.totalUsage;
      finishReason = part.finishReason;
    }
    if (isOutput(part.type)) {
      progress.roundStreamed = true;
      if (progress.firstTokenAt === undefined) {
        progress.firstTokenAt = 0;
        options.onFirstToken(
          part.type === 'text-delta' || part.type === 'reasoning-delta' ? part.text : '',
        );
      }
    }
    if (part.type === 'error') throw signal.aborted ? signal.reason : streamPartError(part.error);
    if (part.type === 'abort') throw signal.reason ?? new Error('The model call was aborted');
  }
  const tokens = toTokenUsage(usage);
  if (definition.tools !== undefined) {
    // A tool call streams out before its model call's `finish-step`: order the spans by start.
    progress.spans?.sort((a, b) => a.startMs - b.startMs);
    return { output: { text, steps, toolCalls }, usage: tokens };
  }
  if (schema === undefined) return { output: { text }, usage: tokens };
  const output = await parseStructured(schema, text, {
    modelId: entry.model.modelId,
    usage: usage ?? toLanguageModelUsageless(),
    finishReason,
  });
  return { output, usage: tokens };
}

const toLanguageModelUsageless = (): LanguageModelUsage => ({
  inputTokens: undefined,
  inputTokenDetails: {
    noCacheTokens: undefined,
    cacheReadTokens: undefined,
    cacheWriteTokens: undefined,
  },
  outputTokens: undefined,
  outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
  totalTokens: undefined,
});

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

/** The AI SDK's usage as hotpath's token counts (missing figures count as 0). */
export function toTokenUsage(usage: LanguageModelUsage | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    cachedInputTokens: usage?.inputTokenDetails?.cacheReadTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    reasoningTokens: usage?.outputTokenDetails?.reasoningTokens ?? 0,
  };
}
