import { HotpathError } from './hotpath-error';

// `name` is the class name; the marker keeps its first spelling (see step-error.ts).
const name = 'RunStoreError';
const marker = 'hotpath.error.HotpathRunStoreError';
const symbol = Symbol.for(marker);

/**
 * Why a durable run could not start or go on: another process holds its lease (`lease-held`),
 * the lease was lost while running (`lease-lost`), the run was started with another input
 * (`input-mismatch`) or by another chain (`chain-mismatch`), or the store could not take the
 * lease, read the journal or write it (`store-failed`: the store's own error is the `cause`).
 */
export type RunStoreErrorReason =
  | 'lease-held'
  | 'lease-lost'
  | 'input-mismatch'
  | 'chain-mismatch'
  | 'store-failed';

/** A durable run could not start or go on; `reason` says why. */
export class RunStoreError extends HotpathError {
  private readonly [symbol] = true;

  readonly runId: string;
  readonly reason: RunStoreErrorReason;
  /**
   * For `lease-held` and `lease-lost`: when the holder's lease lapses (wall clock, ms since the
   * epoch); for `lease-lost`, the lease this attempt lost (when no one holds the run since).
   */
  readonly leaseExpiresAt: number | undefined;
  /** For `lease-held` and `lease-lost`: who holds the run's lease now, when someone does. */
  readonly leaseOwner: string | undefined;

  constructor(options: {
    runId: string;
    reason: RunStoreErrorReason;
    message: string;
    leaseExpiresAt?: number;
    leaseOwner?: string;
    cause?: unknown;
  }) {
    super({ name, message: options.message, cause: options.cause });
    this.runId = options.runId;
    this.reason = options.reason;
    this.leaseExpiresAt = options.leaseExpiresAt;
    this.leaseOwner = options.leaseOwner;
  }

  static override isInstance(error: unknown): error is RunStoreError {
    return HotpathError.hasMarker(error, marker);
  }
}
