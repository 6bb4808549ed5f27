import { rawFinishReason } from '../emulated-stream';
import type { EmulatedChunk, EmulatedResponse } from '../engine';

/** Fields every completion object and chunk carries. */
export interface CompletionHeader {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** The `usage` object of the OpenAI API. */
export function toOpenAIUsage(response: EmulatedResponse) {
  return {
    prompt_tokens: response.inputTokens,
    completion_tokens: response.outputTokens,
    total_tokens: response.inputTokens + response.outputTokens,
    prompt_tokens_details: { cached_tokens: response.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

/** A non-streaming `chat.completion` object. */
export function completionBody(header: CompletionHeader, response: EmulatedResponse) {
  const call = response.toolCall;
  return {
    ...header,
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: call ? null : response.text,
          refusal: null,
          ...(call && {
            tool_calls: [
              {
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.input },
              },
            ],
          }),
        },
        logprobs: null,
        finish_reason: rawFinishReason(response),
      },
    ],
    usage: toOpenAIUsage(response),
  };
}

/** The `chat.completion.chunk` for one chunk of output: text, or a tool call's arguments. */
export function deltaChunk(
  header: CompletionHeader,
  response: EmulatedResponse,
  chunk: EmulatedChunk,
  index: number,
) {
  const call = response.toolCall;
  const first = index === 0;
  const delta = call
    ? {
        ...(first && { role: 'assistant', content: null }),
        tool_calls: [
          first
            ? {
                index: 0,
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: chunk.text },
              }
            : { index: 0, function: { arguments: chunk.text } },
        ],
      }
    : { ...(first && { role: 'assistant' }), content: chunk.text };
  return chunkBody(header, [{ index: 0, delta, logprobs: null, finish_reason: null }]);
}

/** The chunk that carries the finish reason. */
export function finishChunk(header: CompletionHeader, response: EmulatedResponse) {
  return chunkBody(header, [
    { index: 0, delta: {}, logprobs: null, finish_reason: rawFinishReason(response) },
  ]);
}

/** The last chunk when `stream_options.include_usage` is set: no choices, the usage. */
export function usageChunk(header: CompletionHeader, response: EmulatedResponse) {
  return { ...chunkBody(header, []), usage: toOpenAIUsage(response) };
}

function chunkBody(header: CompletionHeader, choices: unknown[]) {
  return { ...header, object: 'chat.completion.chunk', system_fingerprint: null, choices };
}
