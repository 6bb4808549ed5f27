import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import type { FinishReason, LanguageModelUsage } from 'ai';
import type { TokenUsage } from '../models/cost';
import type { ModelCallOptions, ModelCallResult } from './call-model';
import { streamPartError } from './stream-part-error';
import { objectOutput, parseStructured } from './structured-output';

/**
 * Calls the model's own `doStream` (the `LanguageModelV4` spec) and reads its stream once: text
 * from `text-delta` parts, usage from `finish`. What `streamText` adds on top (its result object,
 * teed streams, retries, steps, AI SDK telemetry) is not needed for a plain or structured step;
 * middleware still runs (a `wrapLanguageModel` model wraps `doStream`), and a structured step is
 * validated by the AI SDK's own `Output.object` parser, so its errors are the AI SDK's.
 */
export async function callProvider(
  options: ModelCallOptions,
  model: LanguageModelV4,
): Promise<ModelCallResult> {
  const { definition, prompt, signal, progress } = options;
  signal.throwIfAborted();
  const schema = definition.output;
  const callOptions: LanguageModelV4CallOptions = {
    prompt: toProviderPrompt(prompt.system, prompt.prompt ?? ''),
    maxOutputTokens: options.maxOutputTokens ?? definition.maxOutputTokens,
    temperature: definition.temperature,
    abortSignal: signal,
  };
  if (schema !== undefined) callOptions.responseFormat = await objectOutput(schema).responseFormat;
  const { stream } = await model.doStream(callOptions);
  const reader = stream.getReader();
  // A provider that ignores the signal still stops: cancelling the reader ends the read loop.
  const onAbort = () => {
    reader.cancel(signal.reason).catch(() => {});
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let text = '';
  let usage: LanguageModelV4Usage | undefined;
  let finishReason: FinishReason = 'other';
  const onDelta = options.onDelta;
  let finished = false;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      const part = value as LanguageModelV4StreamPart;
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') {
        if (part.delta.length === 0) continue;
        progress.outputChars += part.delta.length;
        progress.roundStreamed = true;
        if (progress.firstTokenAt === undefined) {
          progress.firstTokenAt = 0;
          options.onFirstToken(part.delta);
        }
        if (part.type === 'text-delta') {
          text += part.delta;
          onDelta?.(part.delta);
        }
      } else if (part.type === 'finish') {
        usage = part.usage;
        // Billed as reported from here on, even if the stream is cut before it closes.
        progress.finished = fromProviderUsage(usage);
        progress.finishedChars = progress.outputChars;
        progress.roundStreamed = false;
        finishReason = part.finishReason.unified as FinishReason;
      } else if (part.type === 'error')
        throw signal.aborted ? signal.reason : streamPartError(part.error);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A stream left early (an error part, a throwing delta listener) is cancelled, so that its
    // request ends and its connection goes back to the pool.
    if (finished) reader.releaseLock();
    else if (!signal.aborted) reader.cancel(signal.reason).catch(() => {});
  }
  signal.throwIfAborted();
  const tokens = fromProviderUsage(usage);
  if (schema === undefined) return { output: { text }, usage: tokens };
  const output = await parseStructured(schema, text, {
    modelId: model.modelId,
    usage: toLanguageModelUsage(usage),
    finishReason,
  });
  return { output, usage: tokens };
}

/** A system text and a user prompt as the provider's prompt (what `streamText` would send). */
function toProviderPrompt(system: string | undefined, prompt: string): LanguageModelV4Prompt {
  const user = { role: 'user' as const, content: [{ type: 'text' as const, text: prompt }] };
  return system === undefined ? [user] : [{ role: 'system', content: system }, user];
}

/** The provider's usage as hotpath's token counts (missing figures count as 0). */
export function fromProviderUsage(usage: LanguageModelV4Usage | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens.total ?? 0,
    cachedInputTokens: usage?.inputTokens.cacheRead ?? 0,
    outputTokens: usage?.outputTokens.total ?? 0,
    reasoningTokens: usage?.outputTokens.reasoning ?? 0,
  };
}

function toLanguageModelUsage(usage: LanguageModelV4Usage | undefined): LanguageModelUsage {
  const input = usage?.inputTokens;
  const output = usage?.outputTokens;
  return {
    inputTokens: input?.total,
    inputTokenDetails: {
      noCacheTokens: input?.noCache,
      cacheReadTokens: input?.cacheRead,
      cacheWriteTokens: input?.cacheWrite,
    },
    outputTokens: output?.total,
    outputTokenDetails: { textTokens: output?.text, reasoningTokens: output?.reasoning },
    totalTokens:
      input?.total === undefined && output?.total === undefined
        ? undefined
        : (input?.total ?? 0) + (output?.total ?? 0),
  };
}
