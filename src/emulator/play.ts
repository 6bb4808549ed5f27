import type { Clock } from '../clock';
import type { EmulatedChunk, EmulatedResponse } from './engine';
import type { EmulatedCut } from './outcome';

/**
 * Plays a planned response on `clock`, calling `onChunk` as each chunk is due, and resolves with
 * how it ended. Chunks are due at absolute times from the first token, so the small overshoot of
 * every timer does not add up over a long stream: the measured rate stays the profile's.
 */
export async function playResponse(
  response: EmulatedResponse,
  cut: EmulatedCut | undefined,
  clock: Clock,
  signal: AbortSignal | undefined,
  onChunk: (chunk: EmulatedChunk, index: number) => void,
): Promise<'done' | 'cut'> {
  let due = clock.now() + response.firstTokenDelayMs;
  const count = cut?.afterChunks ?? response.chunks.length;
  for (let index = 0; index < count; index++) {
    const chunk = response.chunks[index]!;
    due += chunk.delayMs;
    await sleepUntil(clock, due, signal);
    // Decoding starts when the first token actually went out: a late first timer must not
    // compress the rest of the stream.
    if (index === 0) due = Math.max(due, clock.now());
    onChunk(chunk, index);
  }
  if (cut === undefined) return 'done';
  await sleepUntil(clock, due + cut.delayMs, signal);
  return 'cut';
}

/** Time from the request to its end: the last chunk, or the moment a cut closes it. */
export function playDurationMs(response: EmulatedResponse, cut?: EmulatedCut): number {
  const count = cut?.afterChunks ?? response.chunks.length;
  let total = response.firstTokenDelayMs + (cut?.delayMs ?? 0);
  for (const chunk of response.chunks.slice(0, count)) total += chunk.delayMs;
  return total;
}

/** Output tokens in the first `count` chunks (what a cut response has sent). */
export function sentTokens(response: EmulatedResponse, count: number): number {
  if (count >= response.chunks.length) return response.outputTokens;
  const sent = response.chunks
    .slice(0, count)
    .reduce((chars, chunk) => chars + chunk.text.length, 0);
  return Math.ceil(sent / 4);
}

async function sleepUntil(clock: Clock, due: number, signal: AbortSignal | undefined) {
  const remaining = due - clock.now();
  if (remaining > 0) await clock.sleep(remaining, signal);
  else if (signal?.aborted) throw signal.reason;
}

/** What a call is billed for once `output` tokens went out: its input, cached part included. */
export function billedTokens(response: EmulatedResponse, output: number) {
  return { input: response.inputTokens, output, cachedInput: response.cachedInputTokens ?? 0 };
}
