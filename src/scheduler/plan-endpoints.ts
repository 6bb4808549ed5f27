import type { PlanEndpoint, PlannedStep } from './plan';
import type { Problem } from './problem';

/**
 * The places the plan sends its calls to, for steps on a model at a named endpoint: one entry
 * per model and endpoint with the round trip planned for it (learned once a call measured it).
 * None when no chosen model is at a named endpoint, so single-place plans read as before.
 */
export function planEndpoints(
  problem: Problem,
  choice: Int32Array,
  steps: readonly PlannedStep[],
): PlanEndpoint[] | undefined {
  const byPlace = new Map<string, { entry: PlanEndpoint; steps: string[] }>();
  for (let i = 0; i < steps.length; i++) {
    const entry = problem.options[i]![choice[i]!]!.candidate?.entry;
    if (entry?.endpoint === undefined || steps[i]!.state === 'done') continue;
    const key = `${entry.id}\u0000${entry.endpoint}`;
    let place = byPlace.get(key);
    if (place === undefined) {
      place = {
        entry: {
          model: entry.id,
          endpoint: entry.endpoint,
          ...(entry.region !== undefined && { region: entry.region }),
          roundTripMs: entry.profile.roundTripMs,
          steps: [],
        },
        steps: [],
      };
      byPlace.set(key, place);
    }
    place.steps.push(steps[i]!.stepId);
  }
  if (byPlace.size === 0) return undefined;
  return [...byPlace.values()].map(({ entry, steps: ids }) => ({ ...entry, steps: ids }));
}

/** `endpoints: mercury-2 @ eu-west, 38 ms round trip (plan, report)`, when the plan has any. */
export function explainEndpoints(endpoints: readonly PlanEndpoint[] | undefined): string[] {
  if (endpoints === undefined || endpoints.length === 0) return [];
  const parts = endpoints.map(
    (place) =>
      `${place.model} @ ${place.endpoint}, ${Math.round(place.roundTripMs)} ms round trip (${place.steps.join(', ')})`,
  );
  return [`endpoints: ${parts.join('; ')}`];
}
