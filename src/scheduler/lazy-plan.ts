import type { Percentiles } from './model-stats';
import type { Plan, PlanTotals } from './plan';

/** What a plan works out on first read. */
export interface PlanLater {
  readonly durationPercentiles: () => Percentiles;
  readonly baselines: () => Plan['baselines'];
  readonly frontier: () => readonly PlanTotals[];
}

/** The fields of a {@link Plan} but those it works out on first read. */
export type PlanNow = Omit<Plan, keyof PlanLater>;

/**
 * A plan whose `durationPercentiles`, `baselines` and `frontier` are own enumerable getters
 * worked out on first read: JSON, spreads and equality see fields. Every plan shares the three
 * getter functions. An object literal's `get` makes a getter per plan, and with it a hidden
 * class per plan that holds the getter's closure from old space: every young object the plan
 * reaches then survived the collections of new space until a full one (a 1,000-step plan spent
 * more time in the collector than in planning).
 */
class LazyPlan {
  readonly #later: PlanLater;

  static readonly #getters = {
    durationPercentiles: getter((later) => later.durationPercentiles()),
    baselines: getter((later) => later.baselines()),
    frontier: getter((later) => later.frontier()),
  };

  static laterOf(plan: LazyPlan): PlanLater {
    return plan.#later;
  }

  constructor(now: PlanNow, later: PlanLater) {
    this.#later = later;
    const getters = LazyPlan.#getters;
    const self = this as unknown as Record<string, unknown>;
    // The fields in the order plans have always listed them (JSON keeps it); the optional ones
    // only when there is one.
    self.chain = now.chain;
    self.objective = now.objective;
    self.steps = now.steps;
    self.durationMs = now.durationMs;
    self.costUsd = now.costUsd;
    self.criticalPath = now.criticalPath;
    Object.defineProperty(this, 'durationPercentiles', getters.durationPercentiles);
    if (now.confidence) self.confidence = now.confidence;
    Object.defineProperty(this, 'baselines', getters.baselines);
    self.warnings = now.warnings;
    self.solver = now.solver;
    self.nowMs = now.nowMs;
    self.priceWindows = now.priceWindows;
    Object.defineProperty(this, 'frontier', getters.frontier);
    if (now.answer) self.answer = now.answer;
    if (now.endpoints) self.endpoints = now.endpoints;
    if (now.deferred !== undefined) self.deferred = now.deferred;
    self.step = now.step;
    self.explain = now.explain;
  }
}

function getter(read: (later: PlanLater) => unknown): PropertyDescriptor {
  return {
    get(this: LazyPlan) {
      return read(LazyPlan.laterOf(this));
    },
    enumerable: true,
    configurable: true,
  };
}

/** A {@link Plan} of `now`, with the fields of `later` worked out on first read. */
export function createPlan(now: PlanNow, later: PlanLater): Plan {
  return new LazyPlan(now, later) as unknown as Plan;
}
