import { APICallError } from '@ai-sdk/provider';

/**
 * The error of a stream's `error` part as an `Error`. A provider that hears an error frame
 * mid-stream (OpenAI's `data: {"error": {...}}` on a 200 stream) gives a plain object with the
 * frame's `message`, `statusCode` and `isRetryable`: it becomes the `APICallError` a failed request
 * with that status would be, so it is retried as one and its message names what went wrong.
 * A chunk the provider could not parse, or that breaks its chunk schema, is the stream's fault,
 * not a break of the step's `output` schema: it is retried as a stream cut.
 */
export function streamPartError(error: unknown): unknown {
  if (error instanceof Error) return unreadable.has(error.name) ? unreadableChunk(error) : error;
  if (typeof error !== 'object' || error === null) return error;
  const { message, statusCode, isRetryable, data } = error as Record<string, unknown>;
  if (typeof message !== 'string') return error;
  return new APICallError({
    message,
    url: '',
    requestBodyValues: undefined,
    statusCode: typeof statusCode === 'number' ? statusCode : undefined,
    ...(typeof isRetryable === 'boolean' && { isRetryable }),
    data: data ?? error,
  });
}

/** The errors a provider's stream parser gives for a chunk it cannot read. */
const unreadable = new Set(['AI_JSONParseError', 'AI_TypeValidationError']);

function unreadableChunk(error: Error): APICallError {
  return new APICallError({
    message: `the provider sent a stream chunk that cannot be read: ${error.message}`,
    url: '',
    requestBodyValues: undefined,
    isRetryable: true,
    cause: error,
  });
}
