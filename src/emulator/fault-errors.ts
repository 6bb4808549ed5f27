import { APICallError } from '@ai-sdk/provider';
import type { EmulatedHttpError } from './openai-error';

/** Where in-process errors say they happened (there is no URL; this one cannot resolve). */
export const inProcessUrl = 'emulator://hotpath/v1/chat/completions';

/**
 * The `APICallError` that `@ai-sdk/openai` throws for this HTTP error: same message, status,
 * headers, body and `isRetryable` (429, 408, 409 and 5xx retry).
 */
export function httpErrorToApiCallError(
  error: EmulatedHttpError,
  requestBodyValues: unknown,
): APICallError {
  const responseBody = JSON.stringify(error.body);
  return new APICallError({
    message: error.body.error.message,
    url: inProcessUrl,
    requestBodyValues,
    statusCode: error.status,
    responseHeaders: { 'content-type': 'application/json', ...error.headers },
    responseBody,
    data: error.body,
  });
}

/** What `@ai-sdk/openai` throws when the connection is reset before any response. */
export function resetError(requestBodyValues: unknown): APICallError {
  const cause = Object.assign(new Error('read ECONNRESET'), {
    code: 'ECONNRESET',
    errno: -104,
    syscall: 'read',
  });
  return new APICallError({
    message: `Cannot connect to API: ${cause.message}`,
    cause,
    url: inProcessUrl,
    requestBodyValues,
    isRetryable: true,
  });
}

/**
 * What `@ai-sdk/openai` raises when the connection closes mid-body: undici's `terminated`
 * TypeError around a socket error, wrapped with the 200 status the response had started with.
 */
export function cutError(requestBodyValues: unknown, streaming: boolean): APICallError {
  const socketError = Object.assign(new Error('other side closed'), {
    name: 'SocketError',
    code: 'UND_ERR_SOCKET',
  });
  const cause = new TypeError('terminated', { cause: socketError });
  return new APICallError({
    message: 'Failed to process successful response',
    cause,
    url: inProcessUrl,
    requestBodyValues,
    statusCode: 200,
    responseHeaders: { 'content-type': streaming ? 'text/event-stream' : 'application/json' },
    isRetryable: true,
  });
}
