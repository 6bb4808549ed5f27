import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { CallTimeoutError, classifyError, readRetryAfter } from './classify-error';

const apiError = (
  statusCode: number | undefined,
  extra: Partial<ConstructorParameters<typeof APICallError>[0]> = {},
) =>
  new APICallError({
    message: 'x',
    url: 'http://127.0.0.1',
    requestBodyValues: {},
    statusCode,
    ...extra,
  });

describe('classifyError', () => {
  it('retries rate limits with their Retry-After, server errors, timeouts and network failures', () => {
    expect(
      classifyError(apiError(429, { responseHeaders: { 'retry-after': '2' } }), { started: false }),
    ).toEqual({
      retryable: true,
      reason: 'rate-limit',
      retryAfterMs: 2000,
    });
    expect(classifyError(apiError(503), { started: false })).toMatchObject({
      retryable: true,
      reason: 'server-error',
    });
    expect(
      classifyError(new CallTimeoutError('first-token', 100), { started: false }),
    ).toMatchObject({ reason: 'timeout' });
    expect(classifyError(new CallTimeoutError('total', 100), { started: true })).toMatchObject({
      reason: 'timeout',
    });
    // A stream that went quiet after it started: retried, and said apart from a slow answer.
    expect(classifyError(new CallTimeoutError('idle', 100), { started: true })).toMatchObject({
      retryable: true,
      reason: 'stall',
    });
    const reset = apiError(undefined, {
      isRetryable: true,
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    expect(classifyError(reset, { started: false })).toMatchObject({
      retryable: true,
      reason: 'network',
    });
  });

  it('treats a stream broken after a 200 as a cut, not a refusal', () => {
    const cut = apiError(200, { isRetryable: true, cause: new TypeError('terminated') });
    expect(classifyError(cut, { started: true })).toEqual({
      retryable: true,
      reason: 'stream-cut',
    });
  });

  it('fails at once on bad requests, auth and schema violations', () => {
    for (const status of [400, 401, 403, 404, 422]) {
      expect(classifyError(apiError(status), { started: false })).toEqual({
        retryable: false,
        reason: 'fatal',
      });
    }
    const invalid = Object.assign(new Error('no object'), { name: 'AI_NoObjectGeneratedError' });
    expect(classifyError(invalid, { started: true })).toEqual({
      retryable: false,
      reason: 'validation',
    });
  });
});

describe('readRetryAfter', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(readRetryAfter({ 'Retry-After': '3' })).toBe(3000);
    expect(readRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(
      readRetryAfter(
        { 'retry-after': 'Sat, 28 Nov 2026 18:00:10 GMT' },
        Date.parse('Sat, 28 Nov 2026 18:00:00 GMT'),
      ),
    ).toBe(10_000);
    expect(readRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
  });
});
