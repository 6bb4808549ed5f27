import type { ItemOutcome } from '../runtime/map-executor';

/** One map item as a BullMQ job carries it. */
export interface ItemJobData {
  readonly runId: string;
  readonly chain: string;
  readonly stepId: string;
  readonly index: number;
  readonly item: unknown;
  /** The model the coordinating run's plan chose for the map's items. */
  readonly model?: string;
  readonly maxCostUsd?: number;
  readonly budgetKey: string;
}

/** What a finished job keeps in its progress, so a retried job does not pay for it again. */
export interface ItemJobProgress {
  readonly outcome: ItemOutcome;
}

/** The default queue's name. */
export const defaultQueueName = 'hotpath-items';

/** A job's id: one job per run, step and item, so adding an item twice adds it once. */
export function itemJobId(runId: string, stepId: string, index: number): string {
  return `${runId}__${stepId}__${index}`;
}

/** The channel on which coordinators tell workers to stop a run's items. */
export function cancelChannel(queueName: string): string {
  return `hotpath:${queueName}:cancel`;
}
