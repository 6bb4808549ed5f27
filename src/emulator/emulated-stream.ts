import type { LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { EmulatedChunk, EmulatedResponse } from './engine';

type Enqueue = (part: LanguageModelV4StreamPart) => void;

/**
 * Turns a planned response into AI SDK stream parts as its chunks come due: text deltas, or a
 * tool call's input deltas and then the call, the way `@ai-sdk/openai` parses the same SSE.
 */
export function createStreamWriter(response: EmulatedResponse, enqueue: Enqueue) {
  const call = response.toolCall;
  const id = call?.id ?? '0';
  return {
    chunk(chunk: EmulatedChunk, index: number) {
      if (index === 0) {
        enqueue(
          call ? { type: 'tool-input-start', id, toolName: call.name } : { type: 'text-start', id },
        );
      }
      enqueue(
        call
          ? { type: 'tool-input-delta', id, delta: chunk.text }
          : { type: 'text-delta', id, delta: chunk.text },
      );
    },
    finish() {
      if (call) {
        enqueue({ type: 'tool-input-end', id });
        enqueue({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input });
      } else if (response.chunks.length > 0) {
        enqueue({ type: 'text-end', id });
      }
      enqueue({
        type: 'finish',
        finishReason: { unified: response.finishReason, raw: rawFinishReason(response) },
        usage: toUsage(response),
      });
    },
  };
}

/** The finish reason as an OpenAI-compatible API names it (`tool_calls`, `length`, `stop`). */
export function rawFinishReason(response: EmulatedResponse): string {
  return response.finishReason === 'tool-calls' ? 'tool_calls' : response.finishReason;
}

/** The response's usage in the AI SDK's shape. */
export function toUsage(response: EmulatedResponse): LanguageModelV4Usage {
  const cached = response.cachedInputTokens ?? 0;
  return {
    inputTokens: {
      total: response.inputTokens,
      noCache: response.inputTokens - cached,
      cacheRead: cached,
      cacheWrite: 0,
    },
    outputTokens: { total: response.outputTokens, text: response.outputTokens, reasoning: 0 },
  };
}
