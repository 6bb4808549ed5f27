import { endpointName, type PoolModel } from '../models/pool';
import type { EstimateStore } from '../scheduler/estimate-store';
import { minSpreadSamples } from '../scheduler/spread';

/**
 * How long a hedged call waits for its first token before the race starts: the 90th percentile
 * of the first tokens the history measured for the model (at the entry's endpoint, for a model
 * at several places), once {@link minSpreadSamples} successful calls were measured there. A
 * measured first token runs from the request to the token, so it holds the round trip and the
 * prefill of the prompts measured. Until then, a guess from the profile: round trip, 1.5 times
 * its median first token, and the prefill of this prompt. p90, because one call in ten racing
 * a second model is the share the hedge allowance (10% of a budget) is sized for.
 */
export function hedgeDelayMs(
  entry: PoolModel,
  inputTokens: number,
  history: EstimateStore | undefined,
): number {
  const learned = learnedFirstTokenP90(entry, history);
  if (learned !== undefined) return learned;
  const { profile } = entry;
  return (
    profile.roundTripMs +
    1.5 * profile.timeToFirstTokenMs +
    (inputTokens / profile.prefillTokensPerSecond) * 1000
  );
}

/** The learned p90 first token (round trip included), or nothing before enough calls. */
function learnedFirstTokenP90(
  entry: PoolModel,
  history: EstimateStore | undefined,
): number | undefined {
  if (history === undefined) return undefined;
  const place =
    entry.endpoint === undefined
      ? undefined
      : history.endpointStats?.(entry.id, endpointName(entry));
  const stats = place ?? history.modelStats?.(entry.id);
  if (stats === undefined) return undefined;
  // Failed calls measure no first token: count the calls that did.
  const measured = 'measured' in stats ? stats.measured.timeToFirstTokenMs : stats.samples;
  if (measured < minSpreadSamples) return undefined;
  const p90 = stats.timeToFirstTokenMs.p90;
  return Number.isFinite(p90) && p90 > 0 ? p90 : undefined;
}
