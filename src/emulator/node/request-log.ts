import type { EmulatorCall } from '../session';

/** One request the HTTP emulator answered, or is answering (with `logRequests: true`). */
export interface EmulatorRequest {
  /** Its place among every request served, from 1. */
  readonly number: number;
  readonly model: string;
  /** The prompt's text, all messages joined (what seeds the answer). */
  readonly prompt: string;
  /** `Date.now()` when it arrived and when it ended (`undefined` while in flight). */
  readonly startedAt: number;
  readonly endedAt: number | undefined;
  /** Whether the whole answer went out (not cut, not abandoned by the client). */
  readonly completed: boolean;
  /** Tokens billed for it: prompt tokens once it produced output, output tokens sent. */
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the prompt cache. */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}

/** The emulator's request log: one entry per request, in arrival order. */
export interface RequestLog {
  /** Wraps a request's session call so that its end and tokens are logged. */
  track(call: EmulatorCall, model: string, prompt: string): EmulatorCall & { complete(): void };
  entries(): EmulatorRequest[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Creates an empty request log. */
export function createRequestLog(): RequestLog {
  const entries: Mutable<EmulatorRequest>[] = [];
  return {
    track(call, model, prompt) {
      const entry: Mutable<EmulatorRequest> = {
        number: entries.length + 1,
        model,
        prompt,
        startedAt: Date.now(),
        endedAt: undefined,
        completed: false,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
      };
      entries.push(entry);
      return {
        number: call.number,
        fault: call.fault,
        streamOpened: () => call.streamOpened(),
        end(tokens) {
          if (entry.endedAt === undefined) {
            entry.endedAt = Date.now();
            // Billed as the session bills: only a request that produced output.
            if (tokens && tokens.output > 0) {
              entry.inputTokens = tokens.input;
              entry.cachedInputTokens = tokens.cachedInput ?? 0;
              entry.outputTokens = tokens.output;
            }
          }
          call.end(tokens);
        },
        complete() {
          entry.completed = true;
        },
      };
    },
    entries: () => entries.map((entry) => ({ ...entry })),
  };
}
