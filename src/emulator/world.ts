import { type Clock, clockEpochMs } from '../clock';
import { findWindow } from '../models/price-windows';
import type { ModelProfile } from '../models/profile';
import type { EmulatedRequest, ResponseTiming } from './engine';
import type { EmulatorFault } from './faults';
import { createPrefixCache } from './prefix-cache';
import { createRandom, deriveSeed, hashString } from './random';
import { type EmulatedTruth, type ResolvedTruth, resolveTruth } from './truth';

/** Options of {@link createEmulatedWorld}. */
export interface EmulatedWorldOptions {
  readonly truth: EmulatedTruth;
  /** The profiles the truth changes (what the scheduler believes). */
  readonly profiles: readonly ModelProfile[];
  /** Emulated time, for the cache's lifetime, and its calendar, for peak hours. */
  readonly clock: Clock;
  /** Seed of the timing draws. @default 1 */
  readonly seed?: number;
}

/**
 * The state of an emulated world that differs from the catalog, shared by a pool's models or a
 * server's requests: each model's true profile, its prefix cache, and each call's timing draw.
 */
export interface EmulatedWorld {
  /** The profile the model really follows (its own when the truth says nothing of it). */
  profileOf(profile: ModelProfile): ModelProfile;
  /**
   * The request as the true model sees it (`cachedInputTokens` from the prefix cache, which then
   * remembers the prompt) and the call's drawn timing. `profile` is the true one.
   */
  prepare(
    profile: ModelProfile,
    request: EmulatedRequest,
  ): { request: EmulatedRequest; timing: ResponseTiming };
}

/** A world from `truth`; throws an `InvalidArgumentError` naming the model and field of a bad one. */
export function createEmulatedWorld(options: EmulatedWorldOptions): EmulatedWorld {
  const { clock, seed = 1 } = options;
  const truths = resolveTruth(options.truth, options.profiles);
  const cache = createPrefixCache();
  const seen = new Map<string, number>();
  const truthOf = (id: string): ResolvedTruth | undefined => truths.get(id);
  return {
    profileOf: (profile) => truthOf(profile.id)?.profile ?? profile,
    prepare(profile, request) {
      const truth = truthOf(profile.id);
      if (truth === undefined) return { request, timing: { firstTokenFactor: 1, speedFactor: 1 } };
      // The same prompt asked again draws again: its n-th asking has its own seed.
      const key = `${profile.id}\u0000${hashString(request.promptText)}`;
      const asked = (seen.get(key) ?? 0) + 1;
      seen.set(key, asked);
      const random = createRandom(deriveSeed(seed, 'truth', profile.id, request.promptText, asked));
      // Random.jitter(s) draws e^(s/2 · N(0,1)): twice the σ.
      let firstTokenFactor = random.jitter(2 * truth.firstTokenSpread);
      let speedFactor = random.jitter(2 * truth.speedSpread);
      const epochMs = clockEpochMs(clock);
      if (epochMs !== undefined && findWindow(profile.pricing, epochMs) !== undefined) {
        firstTokenFactor *= truth.peakSlowdown;
        speedFactor /= truth.peakSlowdown;
      }
      const nowMs = clock.now();
      const cachedInputTokens =
        truth.cacheTtlMs === 0
          ? 0
          : cache.use(profile.id, request.promptText, request.inputTokens, {
              nowMs,
              readyAtMs: nowMs + profile.roundTripMs + profile.timeToFirstTokenMs,
              ttlMs: truth.cacheTtlMs,
            });
      return {
        request: cachedInputTokens > 0 ? { ...request, cachedInputTokens } : request,
        timing: { firstTokenFactor, speedFactor },
      };
    },
  };
}

/**
 * A request as `world` has its model see it, or as it is without a world. A request refused
 * before it reaches the model (a 429, 5xx or reset fault) reads no cache and leaves no prefix.
 */
export function prepareCall(
  world: EmulatedWorld | undefined,
  profile: ModelProfile,
  request: EmulatedRequest,
  fault: EmulatorFault | undefined,
): { request: EmulatedRequest; timing?: ResponseTiming } {
  if (world === undefined) return { request };
  if (fault !== undefined && refusals.has(fault.kind)) return { request };
  return world.prepare(profile, request);
}

const refusals = new Set<EmulatorFault['kind']>([
  'rate-limit',
  'unavailable',
  'server-error',
  'reset',
]);
