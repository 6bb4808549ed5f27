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

/**
 * What a coordinator says on the cancel channel: the run, and when it said so. A worker refuses
 * the run's jobs added before then; a later run under the same id (a resume, or an id used
 * again) adds jobs after it, and they run.
 */
export interface CancelWord {
  readonly runId: string;
  /** `Date.now()` on the coordinator, the clock its jobs' `timestamp` is read on. */
  readonly at: number;
}

/** A cancel message as sent; an older coordinator's bare run id stops every job of the run. */
export function readCancelWord(message: string): CancelWord {
  try {
    const word = JSON.parse(message) as Partial<CancelWord>;
    if (typeof word?.runId === 'string' && typeof word.at === 'number') {
      return { runId: word.runId, at: word.at };
    }
  } catch {}
  return { runId: message, at: Number.POSITIVE_INFINITY };
}
