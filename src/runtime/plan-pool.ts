import type { ModelPool, PoolModel } from '../models/pool';
import type { ModelLimits } from './shared-limits';

/**
 * `pool` with the runtime's `limits` on top of each profile's `rateLimits`, as the runtime
 * enforces them (`limitsFor`): the planner reads a model's limits from its profile, so a
 * concurrency capped only in `createRuntime({ limits })` would otherwise plan a map in too few
 * waves. `pool` itself without limits; made once per runtime, so plans stay cached by pool.
 */
export function withRuntimeLimits(
  pool: ModelPool,
  limits: Readonly<Record<string, ModelLimits>> | undefined,
): ModelPool {
  if (limits === undefined || !pool.models.some((entry) => limits[entry.id] !== undefined))
    return pool;
  const limited = new Map<PoolModel, PoolModel>();
  const models = pool.models.map((entry) => {
    const own = limits[entry.id];
    const next =
      own === undefined
        ? entry
        : {
            ...entry,
            profile: { ...entry.profile, rateLimits: { ...entry.profile.rateLimits, ...own } },
          };
    limited.set(entry, next);
    return next;
  });
  return {
    ...pool,
    models,
    // The pool's own lookup (aliases, its messages), answered with the limited entry.
    get: (id) => {
      const entry = pool.get(id);
      return limited.get(entry) ?? entry;
    },
  };
}
