import type { Lane, StepKind } from '../chain';
import type { Percentiles } from './model-stats';

/**
 * How the scheduler trades time for money:
 * - `balanced` (the default): the critical path fast; map items and steps whose slack absorbs a
 *   slower model cheap.
 * - `latency` / `cost`: the fastest / the cheapest candidate everywhere.
 * - `{ deadlineMs }`: the least cost that ends within the deadline, from the chain's start.
 * - `{ budgetUsd }`: the least makespan whose predicted cost fits the budget.
 */
export type Objective =
  | 'balanced'
  | 'latency'
  | 'cost'
  | {
      readonly deadlineMs: number;
      /**
       * Whether the chain may start later, in a cheaper price window (DeepSeek's off-peak
       * hours), when the deadline still holds. @default true
       */
      readonly defer?: boolean;
      /**
       * Plan to meet the deadline with this probability (in (0, 1), e.g. `0.9`), given the
       * spreads of the models' first tokens and speeds (learned by the estimate store, else a
       * default), rather than on the medians alone: the least cost whose sampled makespan at
       * this share fits the deadline. A deferred start must meet it at this share too; a
       * re-plan mid-run plans what is left at the same share (done steps measured, running ones
       * ending no earlier than now). Costs up to 8 deadline solves and a sampling of each.
       * @default none: the deadline applies to the medians
       */
      readonly confidence?: number;
    }
  | { readonly budgetUsd: number };

/** What the scheduler predicts for one step on its model. */
export interface StepPrediction {
  /** Predicted start, from the chain's start, in milliseconds. */
  startMs: number;
  endMs: number;
  durationMs: number;
  costUsd: number;
  /** Tokens of one call (one item, for a map). */
  inputTokens: number;
  outputTokens: number;
}

/** Where a step stands when the plan is made: re-plans fix `done` and `running` steps. */
export type StepState = 'pending' | 'running' | 'done';

/** One step of a plan: where it runs, what it should take, and why. */
export interface PlannedStep {
  readonly stepId: string;
  readonly kind: StepKind;
  /** The model id; absent for `fn` steps and maps of `fn`. */
  readonly model?: string;
  /**
   * Where the model is called, when it is at several places (`eu-west`): the endpoint with the
   * best prediction. The runtime may still move a call to a nearer endpoint it has measured since.
   */
  readonly endpoint?: string;
  readonly lane?: Lane;
  /** For a map: the number of items the prediction assumes. */
  readonly items?: number;
  /** Measured figures for `done` steps, predictions otherwise. */
  readonly predicted: StepPrediction;
  /** How much later the step could end without delaying the chain, in milliseconds. */
  readonly slackMs: number;
  readonly critical: boolean;
  /** Why the step got its model, in words. */
  readonly reason: string;
  /** `pending` in a plan made before the run. */
  readonly state: StepState;
  /**
   * Under a deadline: the step (`items: 1`), or a map's last items, wait for a cheaper price
   * window (DeepSeek's off-peak hours) while the step still ends in time; the runtime holds them
   * until `startsAt`. `predicted` already counts the wait and the later prices.
   */
  readonly deferred?: ItemDeferral;
}

/** A chain's duration and cost under some assignment. */
export interface PlanTotals {
  /** From the chain's start to the end of its last step (the makespan), in milliseconds. */
  readonly durationMs: number;
  readonly costUsd: number;
}

/** Which solver chose the models: `exact` is optimal for the predictions. */
export type PlanSolver = 'exact' | 'heuristic' | 'direct';

/** A chain's plan: a model per step, predicted timing and cost, and the baselines beside it. */
export interface Plan extends PlanTotals {
  readonly chain: string;
  readonly objective: Objective;
  readonly steps: readonly PlannedStep[];
  /** The predicted critical path, first step to last. */
  readonly criticalPath: readonly string[];
  /**
   * The makespan's p50, p90 and p99 (`durationMs`, from the chain's start) over seeded sampled
   * runs of this plan, each step's duration log-normal around its prediction with the spread
   * its model measured (see `confidence` in {@link Objective}); `durationMs` is the makespan of
   * the medians, which the sampled p50 exceeds where paths join. Worked out on first
   * read (about 20 ms of CPU for 1,000 steps here), the same figures for the same plan.
   */
  readonly durationPercentiles: Percentiles;
  /** For `{ deadlineMs, confidence }`: how the plan stands against the deadline when sampled. */
  readonly confidence?: PlanConfidence;
  /** The same chain with every step on its fastest and on its cheapest candidate. */
  readonly baselines: { readonly allFast: PlanTotals; readonly allCheap: PlanTotals };
  /** Why the plan cannot keep its objective (a deadline no plan meets, a budget too small). */
  readonly warnings: readonly string[];
  /** `direct` for `latency` and `cost`, which need no search. */
  readonly solver: PlanSolver;
  /** When the plan was made, from the chain's start: 0 before the run. */
  readonly nowMs: number;
  /**
   * The price windows the plan priced its calls in, per model that has them (DeepSeek's peak
   * hours): empty when the plan had no calendar instant (`startAt`) or no model has windows.
   */
  readonly priceWindows: readonly PlanPriceWindow[];
  /**
   * The time/cost Pareto points among the plans the search saw (every plan, for chains of at
   * most 4,096 assignments), fastest first. `balanced` never returns a plan one of them beats
   * on both time and cost.
   */
  readonly frontier: readonly PlanTotals[];
  /**
   * When the plan starts the chain later, in a cheaper price window, under a deadline that leaves
   * room: the runtime waits `delayMs` before the first step (cancellable), and every predicted
   * time counts from the chain's start, the wait included.
   */
  readonly deferred?: PlanDeferral;
  /**
   * For a streamed run (`runtime.stream`): the step whose text is the answer and the reading rate
   * its model must decode at. The objective then applies to the first answer token, not the end.
   */
  readonly answer?: {
    readonly stepId: string;
    readonly readingTokensPerSecond: number;
    /** The predicted time from the chain's start to the answer's first token. */
    readonly firstTokenMs: number;
  };
  /**
   * The endpoints the plan calls, for models at several places: absent when every model is at
   * one place.
   */
  readonly endpoints?: readonly PlanEndpoint[];
  /** The planned step with this id. */
  step(id: string): PlannedStep | undefined;
  /** A table of the plan with a reason per step, readable at 80 columns. */
  explain(): string;
}

/** A deadline planned with a confidence: what the sampled runs of the plan say. */
export interface PlanConfidence {
  /** The probability asked for (`objective.confidence`). */
  readonly confidence: number;
  /** The sampled makespan at that share: within the deadline when the plan meets it. */
  readonly durationMs: number;
  /** The share of sampled runs that end within the deadline. */
  readonly likelihood: number;
  /**
   * The deadline the plan's medians were solved for: the objective's, tightened until the
   * sampled makespan at the asked share fits.
   */
  readonly plannedDeadlineMs: number;
}

/** One endpoint a plan sends calls to. */
export interface PlanEndpoint {
  readonly model: string;
  readonly endpoint: string;
  readonly region?: string;
  /** The round trip planned for it: measured once a call went there, else the profile's. */
  readonly roundTripMs: number;
  /** The pending steps planned there. */
  readonly steps: readonly string[];
}

/** A step, or a map's items, held back to a cheaper price window (see `PlannedStep.deferred`). */
export interface ItemDeferral {
  /** How many of a map's items (the last ones) wait, all of them for the whole map; 1 for a step. */
  readonly items: number;
  /** The calendar instant (Unix ms) the held items may start: a price-window change. */
  readonly startsAt: number;
  /** The same instant from the chain's start, in milliseconds. */
  readonly startMs: number;
  /** What holding them saves against starting every item at once, in US dollars. */
  readonly savedUsd: number;
}

/** A chain started later for cheaper prices: how long it waits, and what that saves. */
export interface PlanDeferral {
  /** How long the chain waits before its first step, in milliseconds. */
  readonly delayMs: number;
  /** The calendar instant it starts at (Unix ms). */
  readonly startsAt: number;
  /** What the plan saves against the best plan that starts at once. */
  readonly savedUsd: number;
  /** The cost of the best plan that starts at once. */
  readonly immediateCostUsd: number;
}

/** The prices one model was planned at: its window, and when the window ends. */
export interface PlanPriceWindow {
  readonly model: string;
  /** `peak`, `off-peak`, or the pricing's `baseName`. */
  readonly window: string;
  /**
   * When the plan priced its calls (Unix ms). A runtime reuses a plan while the same windows are
   * in force, and the reused plan keeps the instant it was first made at.
   */
  readonly atMs: number;
  /** When the prices change next (Unix ms); `Infinity` when never. */
  readonly untilMs: number;
}

/** A step whose model a re-plan changed. */
export interface PlanChange {
  readonly stepId: string;
  readonly from?: string;
  readonly to?: string;
}
