import type { Lane, StepKind } from '../chain';

/** The three objectives of v0: fast critical path and cheap slack, all fast, or all cheap. */
export type Objective = 'balanced' | 'latency' | 'cost';

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

/** One step of a plan: where it runs, what it should take, and why. */
export interface PlannedStep {
  readonly id: string;
  readonly kind: StepKind;
  /** The model id; absent for `fn` steps and maps of `fn`. */
  readonly model?: string;
  readonly lane?: Lane;
  /** For a map: the number of items the prediction assumes. */
  readonly items?: number;
  readonly predicted: StepPrediction;
  /** How much later the step could end without delaying the chain, in milliseconds. */
  readonly slackMs: number;
  readonly critical: boolean;
  /** Why the step got its model, in words. */
  readonly reason: string;
}

/** A chain's makespan and cost under some assignment. */
export interface PlanTotals {
  readonly makespanMs: number;
  readonly costUsd: number;
}

/** A chain's plan: a model per step, predicted timing and cost, and the baselines beside it. */
export interface Plan extends PlanTotals {
  readonly chain: string;
  readonly objective: Objective;
  readonly steps: readonly PlannedStep[];
  /** The predicted critical path, first step to last. */
  readonly criticalPath: readonly string[];
  /** The same chain with every step on its fastest and on its cheapest candidate. */
  readonly baselines: { readonly allFast: PlanTotals; readonly allCheap: PlanTotals };
  /** The planned step with this id. */
  step(id: string): PlannedStep | undefined;
  /** A table of the plan with a reason per step, readable at 80 columns. */
  explain(): string;
}
