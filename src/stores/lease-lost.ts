import { RunStoreError } from '../errors/run-store-error';

/**
 * The error a store gives for an append by `owner` while it does not hold `runId`'s lease:
 * `holder` holds it now (until its `expiresAt`), or no one does (it lapsed or was given up).
 * Stores that implement `AppendOptions.owner` throw it, so a runtime stops the same way on any.
 */
export function leaseLostError(
  runId: string,
  owner: string,
  holder: { readonly owner: string; readonly expiresAt: number } | undefined,
  now: number,
): RunStoreError {
  const taken = holder !== undefined && holder.owner !== owner && holder.expiresAt > now;
  const since = taken
    ? `\`${holder.owner}\` holds it until ${new Date(holder.expiresAt).toISOString()}`
    : holder?.owner === owner
      ? `it lapsed at ${new Date(holder.expiresAt).toISOString()}`
      : 'no one holds it';
  return new RunStoreError({
    runId,
    reason: 'lease-lost',
    leaseOwner: taken ? holder.owner : undefined,
    leaseExpiresAt: holder?.expiresAt,
    message: `Run \`${runId}\`: \`${owner}\` no longer holds its lease (${since}), so the store refused its journal entries; this attempt stops so that two never run at once`,
  });
}
