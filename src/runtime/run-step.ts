import type { StepDefinition, StepNode } from '../chain';
import { BudgetExceededError, HotpathError, StepError, type StepErrorReason } from '../errors';
import { addUsage, emptyUsage } from '../models/cost';
import type { Tally } from './attempt-call';
import { resolvePrompt } from './call-model';
import { mapWithConcurrency } from './limit';
import { markRunning, stepEnded } from './replan';
import { callWithResilience } from './resilient-call';
import { elapsed, type RunState, recordStep } from './run-state';

/** Runs one step of the chain with the outputs of what it needs; stores its output. */
export async function runStep(state: RunState, step: StepNode): Promise<void> {
  state.controller.signal.throwIfAborted();
  const context = step.readsAll ? state.context : contextOf(state, step);
  markRunning(state, step);
  const output =
    step.kind === 'map'
      ? await runMap(state, step, context)
      : await runUnit(state, step, step.definition, context);
  state.outputs.set(step.id, output);
  state.context[step.id] = output;
  const record = state.records[state.records.length - 1];
  if (record?.stepId === step.id) stepEnded(state, step, record);
}

/** The input and the outputs of what a step declared it needs. */
function contextOf(state: RunState, step: StepNode): Record<string, unknown> {
  const context: Record<string, unknown> = { input: state.input };
  for (const need of step.needs) context[need] = state.outputs.get(need);
  return context;
}

async function runMap(state: RunState, step: StepNode, context: unknown): Promise<unknown[]> {
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
  try {
    results = await mapWithConcurrency(items, step.concurrency ?? 1, (item, index) =>
      runItem(state, step, item, index),
    );
    if (step.onItemError === 'skip') results = results.filter((result) => result !== skipped);
  } catch (error) {
    recordFailure(state, { ...fields, items: items.length }, error);
    throw error;
  }
  const itemRecords = state.items.get(step.id) ?? [];
  const usage = emptyUsage();
  let costUsd = 0;
  for (const record of itemRecords) {
    addUsage(usage, record.usage);
    costUsd += record.costUsd;
  }
  recordStep(state, {
    ...fields,
    status: 'ok',
    usage,
    costUsd,
    items: items.length,
  });
  return results;
}

/** Marks an item that failed under `onItemError: 'skip'`. */
const skipped = Symbol('skipped');

/** One map item: a failure fails the step, or under `skip`/`collect` is kept out or kept. */
async function runItem(
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

/** Runs a step, or one item of a map, and records it. */
async function runUnit(
  state: RunState,
  step: StepNode,
  definition: StepDefinition,
  arg: unknown,
  item?: number,
): Promise<unknown> {
  state.controller.signal.throwIfAborted();
  const planned = state.plan.step(step.id);
  const startMs = elapsed(state);
  const kind = definition.kind;
  const model = kind === 'llm' ? planned?.model : undefined;
  const tally: Tally = { usage: emptyUsage(), costUsd: 0 };
  const prompt =
    definition.kind === 'llm'
      ? guardSync(state, step, 'function', item, () => resolvePrompt(definition, arg))
      : undefined;
  state.hub.emit('step:start', {
    runId: state.runId,
    stepId: step.id,
    kind,
    item,
    model,
    lane: planned?.lane,
    provider: model === undefined ? undefined : state.pool.get(model).profile.provider,
    prompt: prompt && (prompt.messages ?? { system: prompt.system, prompt: prompt.prompt }),
    atMs: startMs,
  });
  try {
    if (definition.kind === 'fn') {
      const output = await guard(state, step, 'function', item, () =>
        definition.run(arg, { signal: state.controller.signal }),
      );
      recordStep(state, { stepId: step.id, kind, item, status: 'ok', startMs });
      return output;
    }
    const result = await guard(state, step, 'model-call', item, () =>
      callWithResilience({ state, step, definition, prompt: prompt!, item, tally }),
    );
    recordStep(state, {
      stepId: step.id,
      kind,
      item,
      status: 'ok',
      model: result.model,
      lane: result.model === planned?.model ? planned?.lane : undefined,
      startMs,
      firstTokenMs: result.firstTokenMs,
      usage: result.usage,
      costUsd: result.costUsd,
      attempt: result.attempts,
      queueWaitMs: result.queueWaitMs,
      retries: result.retries,
      fallbacks: result.fallbacks.length > 0 ? result.fallbacks : undefined,
      hedge: result.hedge,
      plannedModel: result.model === planned?.model ? undefined : planned?.model,
      provider: state.pool.get(result.model).profile.provider,
      calls: result.spans,
    });
    return result.output;
  } catch (error) {
    state.hub.emit('step:error', { runId: state.runId, stepId: step.id, item, model, error });
    const { usage, costUsd } = tally;
    const failed = {
      stepId: step.id,
      kind,
      item,
      model,
      lane: planned?.lane,
      startMs,
      usage,
      costUsd,
    };
    recordFailure(state, failed, error);
    throw error;
  }
}

/** Records a step that failed or was stopped, so the trace shows every step that started. */
function recordFailure(
  state: RunState,
  fields: Omit<Parameters<typeof recordStep>[1], 'status' | 'error'>,
  error: unknown,
): void {
  const message = error instanceof Error ? error.message : String(error);
  recordStep(state, { ...fields, status: 'error', error: message });
}

/** Runs `work`; a failure becomes a `StepError` naming the step, item and model. */
async function guard<T>(
  state: RunState,
  step: StepNode,
  reason: StepErrorReason,
  item: number | undefined,
  work: () => T | PromiseLike<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asStepError(state, step, reason, item, error);
  }
}

/** `work` without a promise: for synchronous work on the per-step path (a prompt function). */
function guardSync<T>(
  state: RunState,
  step: StepNode,
  reason: StepErrorReason,
  item: number | undefined,
  work: () => T,
): T {
  try {
    return work();
  } catch (error) {
    throw asStepError(state, step, reason, item, error);
  }
}

function asStepError(
  state: RunState,
  step: StepNode,
  reason: StepErrorReason,
  item: number | undefined,
  error: unknown,
): unknown {
  if (HotpathError.isInstance(error) || state.controller.signal.aborted) return error;
  const model = reason === 'model-call' ? state.plan.step(step.id)?.model : undefined;
  return new StepError({
    chain: state.chain.name,
    stepId: step.id,
    item,
    model,
    reason: reason === 'model-call' && isValidationError(error) ? 'output-validation' : reason,
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

function isValidationError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'AI_NoObjectGeneratedError' || name === 'AI_TypeValidationError';
}
