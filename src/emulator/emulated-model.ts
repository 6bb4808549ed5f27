import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { type Clock, systemClock } from '../clock';
import type { ModelProfile } from '../models/profile';
import { type EmulatedResponse, planResponse, responseDurationMs } from './engine';
import { readPrompt } from './prompt-text';

/** Options of {@link createEmulatedModel}. */
export interface EmulatedModelOptions {
  /** The profile whose timing and behaviour the model follows. */
  profile: ModelProfile;
  /** Where the model waits; a scaled or virtual clock makes it faster. @default systemClock */
  clock?: Clock;
  /** Seed of the deterministic text and jitter. @default 1 */
  seed?: number;
}

/**
 * An AI SDK language model (spec v4) that behaves like `profile` without a network: first token
 * after the profile's delay, output at its speed (in blocks for diffusion models), usage in
 * tokens, deterministic text, and a valid instance of the schema for structured output.
 */
export function createEmulatedModel({
  profile,
  clock = systemClock,
  seed = 1,
}: EmulatedModelOptions): LanguageModelV4 {
  let requests = 0;
  const plan = (options: LanguageModelV4CallOptions) => {
    const prompt = readPrompt(options.prompt);
    const format = options.responseFormat;
    return planResponse(
      profile,
      {
        promptText: prompt.text,
        inputTokens: prompt.tokens,
        maxOutputTokens: options.maxOutputTokens,
        json: format?.type === 'json',
        jsonSchema: format?.type === 'json' ? format.schema : undefined,
      },
      seed,
    );
  };
  const metadata = () => ({
    id: `emulated-${profile.id}-${++requests}`,
    modelId: profile.id,
    timestamp: new Date(0),
  });

  return {
    specificationVersion: 'v4',
    provider: 'hotpath.emulator',
    modelId: profile.id,
    supportedUrls: {},

    async doGenerate(options) {
      const response = plan(options);
      await clock.sleep(responseDurationMs(response), options.abortSignal);
      return {
        content: [{ type: 'text', text: response.text }],
        finishReason: { unified: response.finishReason, raw: response.finishReason },
        usage: toUsage(response),
        response: metadata(),
        warnings: [],
      };
    },

    async doStream(options) {
      const response = plan(options);
      const signal = options.abortSignal;
      const cancelled = new AbortController();
      const stop = AbortSignal.any(signal ? [signal, cancelled.signal] : [cancelled.signal]);
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'response-metadata', ...metadata() });
          emit(response, controller, clock, stop).catch((error: unknown) => {
            if (!cancelled.signal.aborted) controller.error(error);
          });
        },
        cancel() {
          cancelled.abort();
        },
      });
      return { stream };
    },
  };
}

async function emit(
  response: EmulatedResponse,
  controller: ReadableStreamDefaultController<LanguageModelV4StreamPart>,
  clock: Clock,
  signal: AbortSignal,
): Promise<void> {
  await clock.sleep(response.firstTokenDelayMs, signal);
  controller.enqueue({ type: 'text-start', id: '0' });
  for (const chunk of response.chunks) {
    if (chunk.delayMs > 0) await clock.sleep(chunk.delayMs, signal);
    controller.enqueue({ type: 'text-delta', id: '0', delta: chunk.text });
  }
  controller.enqueue({ type: 'text-end', id: '0' });
  controller.enqueue({
    type: 'finish',
    finishReason: { unified: response.finishReason, raw: response.finishReason },
    usage: toUsage(response),
  });
  controller.close();
}

function toUsage(response: EmulatedResponse): LanguageModelV4Usage {
  return {
    inputTokens: {
      total: response.inputTokens,
      noCache: response.inputTokens,
      cacheRead: 0,
      cacheWrite: 0,
    },
    outputTokens: { total: response.outputTokens, text: response.outputTokens, reasoning: 0 },
  };
}
