import type { ModelProfile } from '../models/profile';
import { countTokens } from '../models/tokens';
import { generateJsonInstance } from './json-instance';
import { createRandom, deriveSeed } from './random';
import { generateProse } from './text';
import {
  type EmulatedTool,
  type EmulatedToolCall,
  type EmulatedToolChoice,
  planToolCall,
} from './tool-call';

/** What the emulator needs to know of a request. */
export interface EmulatedRequest {
  /** The prompt's text, all messages joined: it seeds the answer and sets the input size. */
  readonly promptText: string;
  /** Input tokens, counted the way usage reports them. */
  readonly inputTokens: number;
  readonly maxOutputTokens?: number;
  /** A JSON schema when the caller asked for structured output. */
  readonly jsonSchema?: unknown;
  /** Whether the caller asked for JSON at all (with or without a schema). */
  readonly json?: boolean;
  /** Tools the model may call. */
  readonly tools?: readonly EmulatedTool[];
  /** @default 'auto' */
  readonly toolChoice?: EmulatedToolChoice;
  /** Role of the last message: on `auto` a model calls a tool for a user, not after a result. */
  readonly lastRole?: 'system' | 'user' | 'assistant' | 'tool';
  /** Input tokens the provider serves from its prefix cache: reported, billed, not prefilled. */
  readonly cachedInputTokens?: number;
}

/** A call's drawn timing, in place of the plain emulator's jitter (see `EmulatedWorld`). */
export interface ResponseTiming {
  /** Multiplies the profile's time to first token. */
  readonly firstTokenFactor: number;
  /** Multiplies the profile's output tokens per second. */
  readonly speedFactor: number;
}

/** A piece of output and the delay before it is sent. */
export interface EmulatedChunk {
  readonly delayMs: number;
  readonly text: string;
}

/** The emulator's whole answer to one request: its text, usage and timing. */
export interface EmulatedResponse {
  /** The answer's text; empty when the answer is a tool call. */
  readonly text: string;
  /** The tool call the model makes instead of answering, if any. */
  readonly toolCall?: EmulatedToolCall;
  readonly inputTokens: number;
  /** The part of `inputTokens` served from the prefix cache. @default 0 */
  readonly cachedInputTokens?: number;
  readonly outputTokens: number;
  /** Delay before the first chunk (round trip, time to first token, prefill). */
  readonly firstTokenDelayMs: number;
  /** The output (the text, or the tool call's arguments) in the pieces it streams in. */
  readonly chunks: readonly EmulatedChunk[];
  readonly finishReason: 'stop' | 'length' | 'tool-calls';
}

/** Tokens per streamed chunk: diffusion models emit whole denoised blocks at once. */
const blockTokens = { diffusion: 64, moe: 4, autoregressive: 4 } as const;

/** Spread of the seeded jitter on first-token time and decoding rate. */
const ttftSpread = 0.15;
const rateSpread = 0.08;

/** Default answer length, in tokens, when the request sets no `maxOutputTokens`. */
export const defaultOutputTokens = { min: 150, max: 250 } as const;

/**
 * Plans the emulator's answer to `request` on the model `profile`: deterministic for the same
 * seed, model and request. The timing follows the profile (first token after the round trip, the
 * time to first token and prefill; then output at its tokens per second) with seeded jitter.
 * When the conversation calls for a tool, the answer is a tool call (see `planToolCall`).
 * `timing` replaces the jitter with a world's draw; cached input tokens skip prefill.
 */
export function planResponse(
  profile: ModelProfile,
  request: EmulatedRequest,
  seed: number,
  timing?: ResponseTiming,
): EmulatedResponse {
  const random = createRandom(
    deriveSeed(seed, profile.id, request.promptText, request.maxOutputTokens ?? -1),
  );
  const limit =
    request.maxOutputTokens === undefined
      ? undefined
      : Math.max(1, Math.floor(request.maxOutputTokens));
  const toolCall = planToolCall(request, seed, profile.id);
  let text: string;
  if (toolCall !== undefined) {
    text = '';
  } else if (request.json || request.jsonSchema !== undefined) {
    text = JSON.stringify(generateJsonInstance(request.jsonSchema ?? { type: 'object' }, random));
  } else {
    const target =
      limit === undefined
        ? random.int(defaultOutputTokens.min, defaultOutputTokens.max)
        : random.int(Math.max(1, Math.ceil(limit * 0.8)), limit);
    text = generateProse(random, target, request.promptText.slice(-200));
  }
  const streamed = toolCall?.input ?? text;
  // A tool call costs its name and its arguments, as the providers bill them (roughly).
  const outputTokens = countTokens(streamed) + (toolCall ? countTokens(toolCall.name) : 0);

  const cachedInputTokens = Math.min(request.inputTokens, request.cachedInputTokens ?? 0);
  const firstTokenDelayMs =
    profile.roundTripMs +
    profile.timeToFirstTokenMs * (timing?.firstTokenFactor ?? random.jitter(ttftSpread)) +
    ((request.inputTokens - cachedInputTokens) / profile.prefillTokensPerSecond) * 1000;
  const msPerToken =
    1000 / (profile.outputTokensPerSecond * (timing?.speedFactor ?? random.jitter(rateSpread)));
  const chunks = splitIntoChunks(streamed, blockTokens[profile.architecture], msPerToken);

  return {
    text,
    ...(toolCall && { toolCall }),
    inputTokens: request.inputTokens,
    ...(cachedInputTokens > 0 && { cachedInputTokens }),
    outputTokens,
    firstTokenDelayMs,
    chunks,
    finishReason: toolCall
      ? 'tool-calls'
      : limit !== undefined && outputTokens >= limit
        ? 'length'
        : 'stop',
  };
}

/** The total time the response takes, first token to last chunk. */
export function responseDurationMs(response: EmulatedResponse): number {
  return response.chunks.reduce(
    (total, chunk) => total + chunk.delayMs,
    response.firstTokenDelayMs,
  );
}

function splitIntoChunks(
  text: string,
  tokensPerChunk: number,
  msPerToken: number,
): EmulatedChunk[] {
  const size = tokensPerChunk * 4;
  const chunks: EmulatedChunk[] = [];
  for (let start = 0; start < text.length; start += size) {
    const piece = text.slice(start, start + size);
    // The first chunk arrives with the first token; each later one after decoding its tokens.
    chunks.push({ delayMs: start === 0 ? 0 : countTokens(piece) * msPerToken, text: piece });
  }
  return chunks;
}
