import type { ModelProfile } from 'hotpath';
import { type Clock, createEmulatedModel, createModelPool, defineModel, mercury2 } from 'hotpath';

/**
 * A model that answers at once: a profile with 1 µs to first token, no round trip and a billion
 * tokens a second, on a clock whose `sleep` resolves immediately. What remains of a call is the
 * AI SDK's `streamText` and the emulator's bookkeeping, the same for hotpath and for the baseline.
 * No rate limits: Mercury 2's published 1,000 requests a minute would hold a 10,000-item map for
 * ten minutes (the peers enforce none), and what is measured is the orchestrator, not a limit.
 */
export const zeroProfile: ModelProfile = {
  ...mercury2,
  rateLimits: undefined,
  id: 'zero',
  name: 'Zero-latency emulated model',
  timeToFirstTokenMs: 0.001,
  roundTripMs: 0,
  outputTokensPerSecond: 1e9,
  prefillTokensPerSecond: 1e9,
};

/** Time moves with `performance.now()`, but nothing ever waits. */
export const immediateClock: Clock = {
  now: () => performance.now(),
  sleep: (_ms, signal) => (signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve()),
};

/** The zero-latency model (for the baseline) and a one-model pool of it (for hotpath). */
export function createZeroModel() {
  const model = createEmulatedModel({ profile: zeroProfile, clock: immediateClock });
  const pool = createModelPool([defineModel(model, zeroProfile)], { clock: immediateClock });
  return { model, pool };
}

/** Output tokens per call: a short answer, a few chunks. */
export const zeroOutputTokens = 16;
