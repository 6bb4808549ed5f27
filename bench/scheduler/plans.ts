import { createEmulatedPool, type Objective, type Plan, planChain } from 'hotpath';
import type { Shape } from './shapes';
import { catalogProfiles, chainFor, profilesFor, type Strategy, strategies } from './strategies';

/** A strategy made concrete for one shape: its chain, profiles, objective and plan. */
export interface PlannedStrategy {
  readonly strategy: Strategy;
  readonly shape: Shape;
  readonly chain: ReturnType<typeof chainFor>;
  readonly profiles: ReturnType<typeof profilesFor>;
  readonly objective: Objective;
  readonly plan: Plan;
}

/**
 * The deadline hotpath's `{ deadlineMs }` row uses: midway between the shape's all-fast and
 * all-cheap makespans on the catalog, a deadline that forces a real trade.
 */
export function midwayDeadline(shape: Shape): number {
  const pool = createEmulatedPool({ profiles: profilesFor(shape, catalogProfiles) });
  const plan = planChain({ chain: shape.build().definition, pool, input: shape.input });
  return (plan.baselines.allFast.durationMs + plan.baselines.allCheap.durationMs) / 2;
}

/** Every strategy's plan for `shape`, in table order. */
export function planStrategies(shape: Shape): PlannedStrategy[] {
  const deadlineMs = midwayDeadline(shape);
  return strategies.map((strategy) => {
    const chain = chainFor(shape, strategy);
    const profiles = profilesFor(shape, strategy.profiles);
    const objective: Objective =
      strategy.objective === 'deadline' ? { deadlineMs } : strategy.objective;
    const pool = createEmulatedPool({ profiles });
    const plan = planChain({ chain: chain.definition, pool, objective, input: shape.input });
    return { strategy, shape, chain, profiles, objective, plan };
  });
}

/** The same plan by the exact solver: the optimum for the predictions. */
export function exactPlan(planned: PlannedStrategy): Plan {
  const pool = createEmulatedPool({ profiles: planned.profiles });
  return planChain({
    chain: planned.chain.definition,
    pool,
    objective: planned.objective,
    input: planned.shape.input,
    solver: 'exact',
  });
}
