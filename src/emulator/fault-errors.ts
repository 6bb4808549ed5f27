import { APICallError, JSONParseError, type LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { EmulatedHttpError } from './openai-error';
import type { EmulatedBreakFrame } from './outcome';

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

/** The chunk a `bad-chunk` fault sends: a chunk cut off mid-JSON, as a broken proxy passes it on. */
export const badChunkText =
  '{"id":"chatcmpl-emulated","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"';

/**
 * The stream parts `@ai-sdk/openai` gives for a stream broken by `frame`: an `error` part (the
 * error frame's fields, or the `JSONParseError` of a chunk that is not JSON), then a `finish`
 * with the reason `error` and no usage.
 */
export function brokenStreamParts(frame: EmulatedBreakFrame): LanguageModelV4StreamPart[] {
  return [
    {
      type: 'error',
      error: frame.type === 'error-frame' ? errorFramePart(frame.error) : badChunkError(),
    },
    {
      type: 'finish',
      finishReason: { unified: 'error', raw: undefined },
      usage: {
        inputTokens: {
          total: undefined,
          noCache: undefined,
          cacheRead: undefined,
          cacheWrite: undefined,
        },
        outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      },
    },
  ];
}

/**
 * The AI SDK's mark of a provider stream error (`createProviderStreamError` in
 * `@ai-sdk/provider-utils`, not a dependency here): `streamText` turns a marked error part into
 * its `AI_StreamProviderError`, as it does for `@ai-sdk/openai`'s.
 */
const providerStreamError = Symbol.for('vercel.ai.providerStreamError');

/** What `@ai-sdk/openai` makes of an error frame: its message and type, status and retryability. */
function errorFramePart(error: EmulatedHttpError) {
  const { status, body } = error;
  const part = {
    message: body.error.message,
    type: body.error.type,
    code: body.error.code ?? undefined,
    statusCode: status,
    isRetryable: status === 408 || status === 409 || status === 429 || status >= 500,
    data: body.error,
  };
  return Object.defineProperty(part, providerStreamError, { value: true });
}

function badChunkError(): JSONParseError {
  try {
    JSON.parse(badChunkText);
  } catch (cause) {
    return new JSONParseError({ text: badChunkText, cause });
  }
  throw new Error('unreachable: the bad chunk parsed');
}
