import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatedHttpError, openAIError } from '../openai-error';

/** The largest request body the emulator reads by default (the OpenAI API's own limit is in this range). */
export const maxBodyBytes = 32 * 1024 * 1024;

/** How long a client may take to send its whole body, by default. */
export const bodyTimeoutMs = 10_000;

/** Limits on reading one request body. */
export interface BodyLimits {
  /** @default {@link maxBodyBytes} */
  readonly maxBytes?: number;
  /** @default {@link bodyTimeoutMs} */
  readonly timeoutMs?: number;
}

/**
 * Reads a request body as text. Rejects with a 413 error past `maxBytes` (at once when the
 * `content-length` says so) and with a 408 when the body has not all come within `timeoutMs`.
 * Either error closes the connection after it is sent; what the client still sends is discarded.
 */
export function readBody(request: IncomingMessage, limits: BodyLimits = {}): Promise<string> {
  const maxBytes = limits.maxBytes ?? maxBodyBytes;
  const timeoutMs = limits.timeoutMs ?? bodyTimeoutMs;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: EmulatedHttpError) => {
      clearTimeout(timer);
      request.removeListener('data', onData);
      request.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) stop(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const timer = setTimeout(() => stop(tooSlow(timeoutMs)), timeoutMs);
    timer.unref?.();
    request.once('close', () => clearTimeout(timer));
    const declared = Number(request.headers['content-length']);
    if (declared > maxBytes) return stop(tooLarge(maxBytes));
    request.on('data', onData);
    request.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function tooLarge(maxBytes: number): EmulatedHttpError {
  return openAIError(
    413,
    `The request body is larger than ${maxBytes} bytes.`,
    { type: 'invalid_request_error', code: 'request_too_large' },
    { connection: 'close' },
  );
}

function tooSlow(timeoutMs: number): EmulatedHttpError {
  return openAIError(
    408,
    `The request body did not arrive within ${timeoutMs} ms.`,
    { type: 'invalid_request_error', code: 'request_timeout' },
    { connection: 'close' },
  );
}

/** Sends a JSON body with its status and headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Sends an OpenAI-shaped error. */
export function sendError(response: ServerResponse, error: EmulatedHttpError): void {
  sendJson(response, error.status, error.body, error.headers);
}

/** Whether `value` is an error the emulator sends as it is. */
export function isHttpError(value: unknown): value is EmulatedHttpError {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
}
