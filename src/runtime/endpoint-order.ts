import type { Lane } from '../chain';
import { endpointName, type PoolModel } from '../models/pool';
import type { EstimateStore } from '../scheduler/estimate-store';
import { learnedFigures } from '../scheduler/learned-pool';
import { referenceCostUsd, referenceDurationMs } from './fallback-order';

/**
 * `models` (a fallback order, a model's endpoints side by side) with each model's endpoints in
 * the order a call should try them now: first any endpoint no call has measured yet (each
 * place is tried once, so that a near one is found), then by what was measured there, through
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
  const scored = group.map((entry, index) => {
    const figures = learnedFigures(entry, history);
    const learned = figures ? { ...entry, profile: { ...entry.profile, ...figures } } : entry;
    const unmeasured =
      measures && history.endpointStats!(entry.id, endpointName(entry)) === undefined;
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
  return scored.map((score) => score.entry);
}
