import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';
import { type Clock, clockEpochMs, systemClock } from '../clock';
import type { ModelProfile } from '../models/profile';
import { toEmulatedRequest } from './call-options';
import { createStreamWriter, rawFinishReason, toUsage } from './emulated-stream';
import type { EmulatedResponse } from './engine';
import { brokenStreamParts, cutError, httpErrorToApiCallError, resetError } from './fault-errors';
import type { EmulatorFaults } from './faults';
import { type EmulatedOutcome, planOutcome } from './outcome';
import { billedTokens, playDurationMs, playResponse, sentTokens } from './play';
import { createEmulatorSession, type EmulatorCall, type EmulatorSession } from './session';
import { type EmulatedWorld, prepareCall } from './world';

/** Options of {@link createEmulatedModel}. */
export interface EmulatedModelOptions {
  /** The profile whose timing and behaviour the model follows. */
  profile: ModelProfile;
  /** Where the model waits; a scaled or virtual clock makes it faster. @default systemClock */
  clock?: Clock;
  /** Seed of the deterministic text, jitter and fault draws. @default 1 */
  seed?: number;
  /** Faults to inject, failing as the HTTP server does through `@ai-sdk/openai`. @default none */
  faults?: EmulatorFaults;
  /**
   * Request numbering, fault draws and stats shared with other models (a pool's); `faults` and
   * the fault seed then come from the session.
   */
  session?: EmulatorSession;
  /**
   * A world that differs from the catalog (see `models.emulated({ truth })`): `profile` is then
   * the true one, and the world draws each call's timing and keeps the prefix cache.
   */
  world?: EmulatedWorld;
}

/**
 * An AI SDK language model (spec v4) that behaves like `profile` without a network: first token
 * after the profile's delay, output at its speed (in blocks for diffusion models), usage in
 * tokens, deterministic text, a valid instance of the schema for structured output, tool calls,
 * and the faults of `faults` as the same `APICallError`s the HTTP emulator produces.
 *
 * @example
 * ```ts
 * const model = createEmulatedModel({ profile: mercury2, clock: createVirtualClock() });
 * const { text } = await generateText({ model, prompt: 'Why are diffusion LLMs fast?' });
 * ```
 */
export function createEmulatedModel(options: EmulatedModelOptions): LanguageModelV4 {
  const { profile, clock = systemClock, seed = 1 } = options;
  const session =
    options.session ??
    createEmulatorSession({ seed, faults: options.faults, models: [profile.id] });
  const begin = (callOptions: LanguageModelV4CallOptions) => {
    const request = toEmulatedRequest(callOptions);
    const call = session.begin(
      profile.id,
      { pricing: profile.pricing, atEpochMs: clockEpochMs(clock) },
      { prompt: request.promptText },
    );
    const prepared = prepareCall(options.world, profile, request, call.fault);
    const outcome = planOutcome(profile, prepared.request, seed, call.fault, prepared.timing);
    const metadata = {
      id: `emulated-${profile.id}-${call.number}`,
      modelId: profile.id,
      timestamp: new Date(0),
    };
    return { call, outcome, metadata };
  };

  return {
    specificationVersion: 'v4',
    provider: 'hotpath.emulator',
    modelId: profile.id,
    supportedUrls: {},

    async doGenerate(callOptions) {
      const { call, outcome, metadata } = begin(callOptions);
      try {
        const { response, cut } = await answerOrThrow(
          outcome,
          clock,
          callOptions.abortSignal,
          call,
        );
        await clock.sleep(playDurationMs(response, cut), callOptions.abortSignal);
        if (cut) {
          call.end(billedTokens(response, 0));
          throw cut.frame?.type === 'error-frame'
            ? httpErrorToApiCallError(cut.frame.error, undefined)
            : cutError(undefined, false);
        }
        call.complete();
        call.end(billedTokens(response, response.outputTokens));
        return {
          content: toContent(response),
          finishReason: { unified: response.finishReason, raw: rawFinishReason(response) },
          usage: toUsage(response),
          response: metadata,
          warnings: [],
        };
      } finally {
        call.end();
      }
    },

    async doStream(callOptions) {
      const { call, outcome, metadata } = begin(callOptions);
      const { response, cut } = await answerOrThrow(outcome, clock, callOptions.abortSignal, call);
      call.streamOpened();
      // Stops on the caller's abort or the reader's cancel. AbortSignal.any is missing in some
      // edge runtimes, so the caller's signal is followed by hand.
      const stop = new AbortController();
      let cancelled = false;
      const signal = callOptions.abortSignal;
      const follow = () => stop.abort(signal?.reason);
      if (signal?.aborted) follow();
      else signal?.addEventListener('abort', follow, { once: true });
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'response-metadata', ...metadata });
          const writer = createStreamWriter(response, (part) => controller.enqueue(part));
          let sent = 0;
          playResponse(response, cut, clock, stop.signal, (chunk, index) => {
            writer.chunk(chunk, index);
            sent = index + 1;
          })
            .then((ended) => {
              if (ended !== 'cut') call.complete();
              call.end(billedTokens(response, sentTokens(response, sent)));
              if (ended === 'cut' && cut?.frame) {
                for (const part of brokenStreamParts(cut.frame)) controller.enqueue(part);
                return controller.close();
              }
              if (ended === 'cut') return controller.error(cutError(undefined, true));
              writer.finish();
              controller.close();
            })
            .catch((error: unknown) => {
              call.end(billedTokens(response, sentTokens(response, sent)));
              if (!cancelled) controller.error(error);
            })
            .finally(() => signal?.removeEventListener('abort', follow));
        },
        cancel() {
          cancelled = true;
          stop.abort();
        },
      });
      return { stream };
    },
  };
}

type Answer = Extract<EmulatedOutcome, { type: 'answer' }>;

/** Waits out and throws an outcome's error (ending the call); resolves with an answer. */
async function answerOrThrow(
  outcome: EmulatedOutcome,
  clock: Clock,
  signal: AbortSignal | undefined,
  call: EmulatorCall,
): Promise<Answer> {
  if (outcome.type === 'answer') return outcome;
  try {
    await clock.sleep(outcome.delayMs, signal);
  } finally {
    call.end();
  }
  throw outcome.type === 'reset'
    ? resetError(undefined)
    : httpErrorToApiCallError(outcome.error, undefined);
}

function toContent(response: EmulatedResponse): LanguageModelV4Content[] {
  const call = response.toolCall;
  if (call)
    return [{ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.input }];
  return [{ type: 'text', text: response.text }];
}
