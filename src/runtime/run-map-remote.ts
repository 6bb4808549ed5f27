import type { StepNode } from '../chain';
import { BudgetExceededError, StepError, type StepErrorReason } from '../errors';
import type { PlannedStep } from '../scheduler/plan';
import type { ItemOutcome, MapExecutor, RemoteError } from './map-executor';
import { elapsed, type RunState } from './run-state';
import { computeStepKeys } from './step-keys';

/** What a map's items resolve to on an executor; `skip` marks an item left out. */
export async function runItemsOn(
  executor: MapExecutor,
  state: RunState,
  step: StepNode,
  items: readonly unknown[],
  skip: symbol,
): Promise<unknown[]> {
  const mode = step.onItemError ?? 'fail';
  const results = new Array<unknown>(items.length);
  const planned = state.plan.step(step.id);
  await executor.runItems({
    runId: state.runId,
    chain: state.chain.name,
    stepId: step.id,
    stepKey: await stepKeyOf(state, step),
    items,
    model: planned?.model,
    maxCostUsd: state.budget.maxCostUsd,
    budgetKey: budgetKeyOf(state),
    signal: state.controller.signal,
    onItem(outcome) {
      record(state, step, outcome, planned);
      if (outcome.ok) {
        results[outcome.index] =
          mode === 'collect' ? { ok: true, value: outcome.value } : outcome.value;
        return;
      }
      const error = toError(state, step, outcome.index, outcome.error);
      // The same rules as a local map: a budget refusal always stops it.
      if (mode === 'fail' || outcome.error.budget !== undefined) throw error;
      results[outcome.index] = mode === 'collect' ? { ok: false, error } : skip;
    },
  });
  return results;
}

/** A run's budget key, for the maps of a run without one of its own. */
const ownBudgetKeys = new WeakMap<RunState, string>();

/**
 * The run's `budgetKey`, else its id when durable (a resume counts what the crashed attempt's
 * items spent), else its id made unique to this run: an id reused once a run has ended names a
 * new run, whose workers must not count the last one's spend (kept in Redis for a day).
 */
function budgetKeyOf(state: RunState): string {
  if (state.budgetKey !== undefined) return state.budgetKey;
  if (state.journal !== undefined) return state.runId;
  let key = ownBudgetKeys.get(state);
  if (key === undefined) {
    key = `${state.runId}@${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    ownBudgetKeys.set(state, key);
  }
  return key;
}

/** The map step's key: the journal's when the run has one, else worked out (once per chain). */
async function stepKeyOf(state: RunState, step: StepNode): Promise<string | undefined> {
  const journaled = state.journal?.keys.key.get(step.id);
  if (journaled !== undefined) return journaled;
  // A definition that cannot be described leaves the items named by their values alone.
  const keys = await computeStepKeys(state.chain).catch(() => undefined);
  return keys?.key.get(step.id);
}

/** Reports an item as a local one would be: `step:start` and `step:end`, and its record. */
function record(
  state: RunState,
  step: StepNode,
  outcome: ItemOutcome,
  planned: PlannedStep | undefined,
): void {
  const endMs = elapsed(state);
  const remote = outcome.record;
  const durationMs = remote?.durationMs ?? 0;
  const startMs = endMs - durationMs;
  const shift = startMs - (remote?.startMs ?? 0);
  const model = remote?.model;
  // The lane is this run's plan's word, as for a local item: the worker's plan only kept its model.
  const lane = model !== undefined && model === planned?.model ? planned.lane : undefined;
  state.hub.emit('step:start', {
    runId: state.runId,
    stepId: step.id,
    kind: step.definition.kind,
    item: outcome.index,
    model,
    lane,
    provider: remote?.provider,
    atMs: startMs,
  });
  const record = {
    ...(remote ?? {
      attempt: 1,
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
      costUsd: 0,
    }),
    runId: state.runId,
    stepId: step.id,
    kind: step.definition.kind,
    item: outcome.index,
    lane,
    status: outcome.ok ? ('ok' as const) : ('error' as const),
    startMs,
    endMs,
    durationMs,
    ...(remote?.calls && {
      calls: remote.calls.map((call) => ({
        ...call,
        startMs: call.startMs + shift,
        endMs: call.endMs + shift,
      })),
    }),
    ...(outcome.ok ? {} : { error: outcome.error.message }),
  };
  state.budget.spentUsd += record.costUsd;
  const list = state.items.get(step.id) ?? [];
  list.push(record);
  state.items.set(step.id, list);
  state.hub.emit('step:end', record);
}

function toError(state: RunState, step: StepNode, item: number, remote: RemoteError): Error {
  if (remote.budget !== undefined) {
    // A budget error like a local one, so the run attaches its trace and what it spent.
    return new BudgetExceededError({
      chain: state.chain.name,
      stepId: step.id,
      model: remote.model ?? 'unknown',
      ...remote.budget,
    });
  }
  return new StepError({
    chain: state.chain.name,
    stepId: step.id,
    item,
    model: remote.model,
    attempt: remote.attempt,
    // Without a step's reason the executor itself failed the item, not a model.
    reason: (remote.reason as StepErrorReason | undefined) ?? 'worker',
    message: remote.message,
  });
}
