/**
 * One failure the emulator can inject into a request. Every duration is in model time, so a
 * `timeScale` divides it like any other delay; `retryAfterSeconds` is sent as it is.
 *
 * Both transports fail the same way, so retries, fallbacks and hedging built on the AI SDK's
 * errors behave the same against the HTTP server (through `@ai-sdk/openai`) and in process
 * (`createEmulatedModel`). The error is an `APICallError` from `@ai-sdk/provider`, except for
 * the frames that break a stream mid-way, which are `error` parts as `@ai-sdk/openai` gives them:
 *
 * | kind | over HTTP | the AI SDK error |
 * | --- | --- | --- |
 * | `rate-limit` | `429` with `Retry-After: <retryAfterSeconds>`, body `{ error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' } }` | `statusCode` 429, `responseHeaders['retry-after']`, `isRetryable` true, `data` the body |
 * | `server-error` | `500`, body `{ error: { type: 'server_error' } }` | `statusCode` 500, `isRetryable` true |
 * | `unavailable` | `503` (with `Retry-After` when `retryAfterSeconds` is set) | `statusCode` 503, `isRetryable` true |
 * | `stall` | the first token comes `ms` later; with `afterChunks`, the stream sends that many chunks, then nothing for `ms` while it stays open | none: a slow first token, or a stream that stops mid-way |
 * | `slow` | decoding runs `factor` times slower | none: a slow stream |
 * | `cut` | the connection closes after a share `after` of the output | streaming: the stream errors after some text (no `finish`); non-streaming: the call throws. Message `Failed to process successful response`, `statusCode` 200, `isRetryable` true, `cause` a `TypeError('terminated')` whose cause has `code: 'UND_ERR_SOCKET'` |
 * | `error-frame` | streaming: a `200` stream sends a share `after` of the output, then `data: {"error": {...}}` with `code` the `status` (default 500), and ends; non-streaming: that status as an HTTP error | streaming: an `error` part whose error has the frame's `message`, `statusCode` and `isRetryable` (a 429 or 5xx retries); non-streaming: the HTTP error's `APICallError` |
 * | `bad-chunk` | streaming: a share `after` of the output, then a chunk that is not JSON, and the stream ends; non-streaming: as `cut` | streaming: an `error` part with a `JSONParseError` (`AI_JSONParseError`) |
 * | `reset` | the connection is reset before any response | message `Cannot connect to API: read ECONNRESET`, no `statusCode`, `isRetryable` true, `cause.code` `'ECONNRESET'` |
 *
 * HTTP errors, `cut` and `reset` come after the profile's network round trip; `doStream` throws
 * the HTTP errors and `reset` (as `@ai-sdk/openai` does), so `streamText` reports them as an
 * `error` part, while a `cut` errors the stream itself.
 */
export type EmulatorFault =
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'server-error' }
  | { readonly kind: 'unavailable'; readonly retryAfterSeconds?: number }
  | {
      readonly kind: 'stall';
      readonly ms: number;
      /** Chunks sent before the pause; 0 stalls the first token. At most all but the last. @default 0 */
      readonly afterChunks?: number;
    }
  | { readonly kind: 'slow'; readonly factor: number }
  | { readonly kind: 'cut'; readonly after?: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'error-frame'; readonly status?: number; readonly after?: number }
  | { readonly kind: 'bad-chunk'; readonly after?: number };

/** The kinds of {@link EmulatorFault}. */
export type EmulatorFaultKind = EmulatorFault['kind'];

/** Every fault kind, in the order stats list them. */
export const faultKinds: readonly EmulatorFaultKind[] = [
  'rate-limit',
  'server-error',
  'unavailable',
  'stall',
  'slow',
  'cut',
  'reset',
  'error-frame',
  'bad-chunk',
];

/** `Retry-After` of a `rate-limit` fault without one, in seconds. */
export const defaultRetryAfterSeconds = 1;

/** Status of an `error-frame` fault without one: the server error OpenAI's frames report. */
export const defaultErrorFrameStatus = 500;

/** Share of the output a `cut`, `error-frame` or `bad-chunk` fault sends before it breaks. */
export const defaultCutAfter = 0.5;

/**
 * When to inject a fault: on a share of requests (`rate`, drawn from the emulator's seed, so a
 * run repeats) or at exact request numbers (`requests`), for one model or all. Request numbers
 * start at 1 and count the rule's scope: the model's own requests when `model` is set, every
 * request otherwise. The first rule that fires decides a request's fault.
 *
 * @example
 * ```ts
 * import type { EmulatorFaults } from 'hotpath';
 *
 * const faults: EmulatorFaults = [
 *   { fault: { kind: 'rate-limit', retryAfterSeconds: 2 }, model: 'deepseek-flash', requests: [1] },
 *   { fault: { kind: 'cut' }, rate: 0.05 },
 * ];
 * ```
 */
export interface EmulatorFaultRule {
  readonly fault: EmulatorFault;
  /** A model id (or alias) the rule applies to. @default every model */
  readonly model?: string;
  /** Probability from 0 to 1 that a request gets the fault. @default 1 without `requests`, else 0 */
  readonly rate?: number;
  /** Request numbers (from 1) that get the fault. */
  readonly requests?: readonly number[];
}

/** The fault rules of an emulator. */
export type EmulatorFaults = readonly EmulatorFaultRule[];
