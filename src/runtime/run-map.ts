import type { StepNode } from '../chain';
import { BudgetExceededError, StepError } from '../errors';
import { addUsage, emptyUsage, type TokenUsage } from '../models/cost';
import type { RecordSource } from '../tracing/records';
import { holdItems } from './item-hold';
import { mapWithConcurrency } from './limit';
import { runItemsOn } from './run-map-remote';
import { elapsed, type RunState, recordStep } from './run-state';
import { runUnit } from './run-unit';
import { guard, recordFailure } from './step-guard';

/** Runs a map step: its items at the step's concurrency, then one record for the whole map. */
export async function runMap(
  state: RunState,
  step: StepNode,
  context: unknown,
): Promise<unknown[]> {
  const startMs = elapsed(state);
  const planned = state.plan.step(step.id);
  const items = await guard(state, step, 'map-items', undefined, () => step.over!(context));
  if (!Array.isArray(items)) {
    throw new StepError({
      chain: state.chain.name,
      stepId: step.id,
      reason: 'map-items',
      message: `Expected \`over\` to return an array of items, got \`${String(items)}\` (${typeof items})`,
    });
  }
  state.hub.emit('step:start', {
    runId: state.runId,
    stepId: step.id,
    kind: 'map',
    atMs: startMs,
    items: items.length,
    model: planned?.model,
    lane: planned?.lane,
  });
  const fields = {
    stepId: step.id,
    kind: 'map' as const,
    model: planned?.model,
    lane: planned?.lane,
    startMs,
  };
  let results: unknown[];
  // Items the plan holds for a cheaper price window (not on workers: their queue has its own).
  const hold = state.executor ? undefined : holdItems(state, step, planned, items.length);
  const held = () => hold && { deferred: hold.summary() };
  try {
    results = state.executor
      ? await runItemsOn(state.executor, state, step, items, skipped)
      : await mapWithConcurrency(
          items,
          step.concurrency ?? 1,
          (item, index) => {
            const wait = hold?.before(index);
            return wait
              ? wait.then(() => runItem(state, step, item, index))
              : runItem(state, step, item, index);
          },
          // A failed item fails the run: stop the items in flight now rather than let them finish.
          (error) => state.controller.abort(error),
        );
    if (step.onItemError === 'skip') results = results.filter((result) => result !== skipped);
  } catch (error) {
    // Every item that started has stopped: what they spent is the map's, failed or not.
    recordFailure(
      state,
      { ...fields, ...spendOf(state, step.id), items: items.length, ...held() },
      error,
    );
    throw error;
  }
  recordStep(state, {
    ...fields,
    status: 'ok',
    ...spendOf(state, step.id),
    items: items.length,
    ...held(),
  });
  return results;
}

/**
 * What a map's items used and cost, failed and stopped ones included, and where they came from:
 * a map read back whole (every item resumed, or every item cached) says so; else it called.
 */
export function spendOf(
  state: RunState,
  stepId: string,
): {
  usage: TokenUsage;
  costUsd: number;
  source: RecordSource | undefined;
  usageEstimated?: true;
} {
  const usage = emptyUsage();
  let costUsd = 0;
  let usageEstimated: true | undefined;
  const records = state.items.get(stepId) ?? [];
  let source = records[0]?.source;
  for (const record of records) {
    addUsage(usage, record.usage);
    costUsd += record.costUsd;
    if (record.source !== source) source = 'call';
    if (record.usageEstimated) usageEstimated = true;
  }
  return usageEstimated ? { usage, costUsd, source, usageEstimated } : { usage, costUsd, source };
}

/** Marks an item that failed under `onItemError: 'skip'`. */
export const skipped = Symbol('skipped');

/** One map item: a failure fails the step, or under `skip`/`collect` is kept out or kept. */
export async function runItem(
  state: RunState,
  step: StepNode,
  item: unknown,
  index: number,
): Promise<unknown> {
  const mode = step.onItemError ?? 'fail';
  if (mode === 'fail') return runUnit(state, step, step.definition, item, index);
  try {
    const value = await runUnit(state, step, step.definition, item, index);
    return mode === 'collect' ? { ok: true, value } : value;
  } catch (error) {
    if (state.controller.signal.aborted || BudgetExceededError.isInstance(error)) throw error;
    return mode === 'collect' ? { ok: false, error } : skipped;
  }
}
