import type { Lane } from '../chain';
import { endpointName, type PoolModel } from '../models/pool';
import type { EstimateStore } from '../scheduler/estimate-store';
import { learnedFigures } from '../scheduler/learned-pool';
import { referenceCostUsd, referenceDurationMs } from './fallback-order';

/**
 * Per history, the endpoints a call has been sent to while unmeasured: one probe is enough, so
 * that the calls of a wide map do not all go to a place nobody has measured yet.
 */
const probed = new WeakMap<EstimateStore, Set<string>>();

/**
 * `models` (a fallback order, a model's endpoints side by side) with each model's endpoints in
 * the order a call should try them now: first any endpoint no call has measured or is measuring
 * yet (each place is tried once, so that a near one is found), then by what was measured there
 * (the profile's figures until then), through
 * the lane's measure: speed (round trip and first token) for the fast lane, price for the cheap
 * lane, the other measure breaking ties. Models at one place keep the order as it is.
 */
export function orderEndpoints(
  models: readonly PoolModel[],
  history: EstimateStore,
  lane: Lane | undefined,
): readonly PoolModel[] {
  if (!models.some((entry) => entry.endpoint !== undefined)) return models;
  const ordered: PoolModel[] = [];
  for (let i = 0; i < models.length; ) {
    let j = i + 1;
    while (j < models.length && models[j]!.id === models[i]!.id) j++;
    const group = models.slice(i, j);
    ordered.push(...(group.length > 1 ? rankPlaces(group, history, lane) : group));
    i = j;
  }
  return ordered;
}

function rankPlaces(
  group: readonly PoolModel[],
  history: EstimateStore,
  lane: Lane | undefined,
): PoolModel[] {
  const measures = history.endpointStats !== undefined;
  let probes = probed.get(history);
  if (probes === undefined) {
    probes = new Set();
    probed.set(history, probes);
  }
  const scored = group.map((entry, index) => {
    const figures = learnedFigures(entry, history);
    const learned = figures ? { ...entry, profile: { ...entry.profile, ...figures } } : entry;
    const key = `${entry.id}\u0000${endpointName(entry)}`;
    const unmeasured =
      measures &&
      !probes.has(key) &&
      history.endpointStats!(entry.id, endpointName(entry)) === undefined;
    const time = referenceDurationMs(learned);
    const cost = referenceCostUsd(learned);
    const [major, minor] = lane === 'cheap' ? [cost, time] : [time, cost];
    return { entry, index, unmeasured, major, minor };
  });
  scored.sort(
    (a, b) =>
      Number(b.unmeasured) - Number(a.unmeasured) ||
      a.major - b.major ||
      a.minor - b.minor ||
      a.index - b.index,
  );
  // The first is the one this call tries: an unmeasured place is probed once.
  if (scored[0]!.unmeasured)
    probes.add(`${scored[0]!.entry.id}\u0000${endpointName(scored[0]!.entry)}`);
  return scored.map((score) => score.entry);
}
