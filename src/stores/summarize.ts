import type { JournalEntry, RunSummary } from './run-store';

/** A run's summary from its journal (for stores that keep no summary of their own). */
export function summarizeJournal(
  runId: string,
  entries: readonly JournalEntry[],
  leaseExpiresAt?: number,
): RunSummary | undefined {
  const first = entries.find((entry) => entry.type === 'start');
  if (first === undefined) return undefined;
  let steps = first.steps;
  let attempts = 0;
  let status: RunSummary['status'] = 'running';
  let costUsd = 0;
  let updatedAt = first.at;
  const done = new Set<string>();
  const items = new Set<string>();
  for (const entry of entries) {
    updatedAt = Math.max(updatedAt, entry.at);
    if (entry.type === 'start') {
      attempts++;
      steps = entry.steps;
      status = 'running';
    } else if (entry.type === 'unit') {
      costUsd += entry.record.costUsd;
      if (entry.item === undefined) done.add(entry.stepId);
      else items.add(`${entry.stepId}#${entry.item}`);
    } else if (entry.type === 'map') done.add(entry.stepId);
    else status = entry.status;
  }
  return {
    runId,
    chain: first.chain,
    status,
    startedAt: first.at,
    updatedAt,
    attempts,
    steps,
    stepsDone: done.size,
    items: items.size,
    costUsd,
    leaseExpiresAt,
  };
}
