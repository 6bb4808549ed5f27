import { computeCost } from './cost';
import type { ModelProfile } from './profile';

// A typical chain step (DESIGN's 500-token steps, with a 1,000-token prompt): which model is
// fastest or cheapest for a step of this size is which one the scheduler usually picks.
const typicalStep = {
  inputTokens: 1000,
  cachedInputTokens: 0,
  outputTokens: 500,
  reasoningTokens: 0,
};

/** A profile's predicted duration of a typical step, in milliseconds. */
export function typicalDurationMs(profile: ModelProfile): number {
  return (
    profile.roundTripMs +
    profile.timeToFirstTokenMs +
    (typicalStep.inputTokens / profile.prefillTokensPerSecond) * 1000 +
    (typicalStep.outputTokens / profile.outputTokensPerSecond) * 1000
  );
}

/**
 * The models a balanced plan puts on each lane for a typical step: the fastest for the critical
 * path, the cheapest for batches and slack. One model may be both.
 */
export function pickLanes(profiles: readonly ModelProfile[]): {
  fast: ModelProfile;
  cheap: ModelProfile;
} {
  const cost = (profile: ModelProfile) => computeCost(profile.pricing, typicalStep);
  const [first, ...rest] = profiles;
  if (first === undefined) throw new RangeError('pickLanes needs at least one profile');
  let fast = first;
  let cheap = first;
  for (const profile of rest) {
    if (typicalDurationMs(profile) < typicalDurationMs(fast)) fast = profile;
    if (cost(profile) < cost(cheap)) cheap = profile;
  }
  return { fast, cheap };
}
