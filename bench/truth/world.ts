import {
  type Clock,
  createVirtualClock,
  type EmulatedTruth,
  type ModelProfile,
  mergeProfile,
} from 'hotpath';

/**
 * The bench's truth: every catalog model 25-40% off its profile's speed, first tokens
 * heavy-tailed (log-normal σ 0.5: p99 about 3.2 times the p50), DeepSeek a quarter slower at
 * peak, prefix caching on. Prices are the catalog's (DeepSeek's peak windows included).
 */
export const benchTruth: EmulatedTruth = {
  // Catalog 750 tok/s, 500 ms: -31% speed, +30% first token.
  'mercury-2': {
    outputTokensPerSecond: 520,
    timeToFirstTokenMs: 650,
    spread: { firstToken: 0.5, speed: 0.1 },
  },
  // Catalog 90 tok/s, 1,500 ms: -33% speed, -27% first token, and slower at peak.
  'deepseek-flash': {
    outputTokensPerSecond: 60,
    timeToFirstTokenMs: 1100,
    spread: { firstToken: 0.5, speed: 0.1 },
    peakSlowdown: 1.25,
  },
  // Catalog 89 tok/s: +35%.
  'claude-haiku-4-5': { outputTokensPerSecond: 120, spread: { firstToken: 0.5, speed: 0.1 } },
  // Catalog 71 tok/s: -30%.
  'gpt-5-mini': { outputTokensPerSecond: 50, spread: { firstToken: 0.5, speed: 0.1 } },
};

/** The profiles as the truth has them (medians): what an oracle would plan with. */
export function trueProfiles(profiles: readonly ModelProfile[]): ModelProfile[] {
  return profiles.map((profile) => {
    const {
      spread: _s,
      peakSlowdown: _p,
      prefixCache: _c,
      ...figures
    } = benchTruth[profile.id] ?? {};
    return mergeProfile(profile, figures);
  });
}

/** A virtual clock (every sleep at least 1 ns, see `bench/scheduler/virtual-clock.ts`), with a date. */
export function createDatedBenchClock(startAt?: Date): Clock {
  const inner = createVirtualClock(startAt ? { startAt } : {});
  return {
    now: inner.now,
    sleep: (ms, signal) => inner.sleep(Math.max(ms, 1e-6), signal),
    ...(inner.epochMs && { epochMs: inner.epochMs }),
  };
}

/** The same clock without its date: a runtime on it plans at the base (static) prices. */
export function withoutDate(clock: Clock): Clock {
  return { now: clock.now, sleep: clock.sleep };
}

/** 02:00 UTC on Wednesday 2 December 2026, DeepSeek's peak, and 12:00 the same day, off-peak. */
export const peakStart = new Date('2026-12-02T02:00:00Z');
export const offPeakStart = new Date('2026-12-02T12:00:00Z');
