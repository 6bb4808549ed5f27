import type { StepNode } from '../chain';
import type { RunState } from './run-state';

/**
 * A step of a durable run is done: journals a map's completion and waits until every entry of
 * the step is written, before anything that needs it starts. Resolves to whether the step ran
 * (and should be measured): a step read back took no time and would skew the estimates.
 */
export async function journalStepDone(state: RunState, step: StepNode): Promise<boolean> {
  const journal = state.journal!;
  const record = state.records[state.records.length - 1];
  if (step.kind === 'map' && record?.stepId === step.id) {
    journal.write({ type: 'map', at: journal.now(), stepId: step.id, items: record.items ?? 0 });
  }
  await journal.flush();
  // A map whose items were all read back took no time, even when its producer ran again.
  if (record?.stepId !== step.id || (record.source ?? 'call') === 'call') return true;
  state.progress.running.delete(step.id);
  state.progress.done.set(step.id, {
    startMs: record.startMs,
    endMs: record.endMs,
    model: record.model,
    costUsd: record.costUsd,
  });
  return false;
}
