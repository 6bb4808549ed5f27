import type { StepRecord } from '../tracing/records';

/** A map's items, handed to an executor to run elsewhere (for example on worker processes). */
export interface MapExecution {
  readonly runId: string;
  /** The chain's name: workers look the chain up by it. */
  readonly chain: string;
  readonly stepId: string;
  /**
   * The map step's key: a hash of its definition and of the steps it reads. With the run id and
   * an item it names that item's work: a resumed run finds what it finished under it, and another
   * input (or an edited chain) under a reused run id does not.
   */
  readonly stepKey?: string;
  /** The items, in order; each must survive JSON (workers receive copies). */
  readonly items: readonly unknown[];
  /**
   * The model the run's plan chose for the items: each starts on it, as a local map's items do
   * (with the same fallbacks), whatever the worker's own plan would choose.
   */
  readonly model?: string;
  /** The run's spending limit, shared by the workers under `budgetKey`. */
  readonly maxCostUsd?: number;
  /**
   * The run's own `budgetKey`, else one for this run: its id for a durable run (a resume counts
   * what the crashed attempt spent), else its id made unique (a reused id starts afresh).
   */
  readonly budgetKey: string;
  /** Aborted when the run is cancelled or fails: the executor cancels the items not yet done. */
  readonly signal: AbortSignal;
  /** Called once per item as it ends, in any order; a throw stops the map. */
  onItem(outcome: ItemOutcome): void;
}

/** How one item ended on the executor. */
export type ItemOutcome =
  | {
      readonly index: number;
      readonly ok: true;
      readonly value: unknown;
      /** The item's record as its worker made it (times relative to the item's own start). */
      readonly record?: StepRecord;
    }
  | {
      readonly index: number;
      readonly ok: false;
      readonly error: RemoteError;
      readonly record?: StepRecord;
    };

/** An error that crossed a process boundary: its class name, message and step error reason. */
export interface RemoteError {
  readonly name: string;
  /** What went wrong, without the `Step ... failed` prefix the coordinator adds. */
  readonly message: string;
  /** The `StepError`'s reason on the worker; without one the item fails with `'worker'`. */
  readonly reason?: string;
  readonly model?: string;
  readonly attempt?: number;
  /** Set when a call was refused for the run's budget: what the worker's refusal said. */
  readonly budget?: {
    readonly maxCostUsd: number;
    readonly spentUsd: number;
    readonly reservedUsd: number;
    readonly requiredUsd: number;
  };
}

/**
 * Runs a map's items somewhere other than the coordinating run's process. Without one the
 * runtime runs items in process, at the map's concurrency. `createBullmqExecutor` from
 * `hotpath/bullmq` runs them as BullMQ jobs on any number of workers.
 */
export interface MapExecutor {
  /** Resolves once every item has ended (each reported through `onItem`). */
  runItems(execution: MapExecution): Promise<void>;
}
