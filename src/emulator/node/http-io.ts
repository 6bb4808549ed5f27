import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EmulatedHttpError, openAIError } from '../openai-error';

/** The largest request body the emulator reads (the OpenAI API's own limit is in this range). */
export const maxBodyBytes = 32 * 1024 * 1024;

/** Reads a request body as text; rejects with a 413 error past {@link maxBodyBytes}. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(
          openAIError(413, `The request body is larger than ${maxBodyBytes} bytes.`, {
            type: 'invalid_request_error',
            code: 'request_too_large',
          }),
        );
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
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
