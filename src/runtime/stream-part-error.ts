import { APICallError } from '@ai-sdk/provider';

/**
 * The error of a stream's `error` part as an `Error`. A provider that hears an error frame
 * mid-stream (OpenAI's `data: {"error": {...}}` on a 200 stream) gives a plain object with the
 * frame's `message`, `statusCode` and `isRetryable`: it becomes the `APICallError` a failed request
 * with that status would be, so it is retried as one and its message names what went wrong.
 */
export function streamPartError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
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
