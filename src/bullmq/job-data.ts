import type { ItemOutcome } from '../runtime/map-executor';
import { hashText, stableText } from '../stores/hash';

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

/**
 * A job's id: one job per run, step and item, so adding an item twice adds it once. It ends with
 * a hash of the step's key and the item's value: a resumed run finds the jobs it finished, while
 * a run that reuses the id with other items (or an edited step) gets jobs of its own.
 */
export function itemJobId(
  runId: string,
  stepId: string,
  index: number,
  item: unknown,
  stepKey = '',
): string {
  return `${runId}__${stepId}__${index}__${hashText(`${stepKey}|${stableText(item)}`)}`;
}

/** The channel on which coordinators tell workers to stop a run's items. */
export function cancelChannel(queueName: string): string {
  return `hotpath:${queueName}:cancel`;
}
