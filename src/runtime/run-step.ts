import type { StepDefinition, StepNode } from '../chain';
import { StepError, type StepErrorReason } from '../errors';
import { computeCost } from '../models/cost';
import { callModel } from './call-model';
import { mapWithConcurrency } from './limit';
import { elapsed, type RunState, recordStep } from './run-state';

/** Runs one step of the chain with the outputs of what it needs; stores its output. */
export async function runStep(state: RunState, step: StepNode): Promise<void> {
  state.controller.signal.throwIfAborted();
  const context: Record<string, unknown> = { input: state.input };
  for (const need of step.needs) context[need] = state.outputs.get(need);
  const output =
    step.kind === 'map'
      ? await runMap(state, step, context)
      : await runUnit(state, step, step.definition, context);
  state.outputs.set(step.id, output);
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
  state.hub.emit('step:start', { runId: state.runId, stepId: step.id, kind: 'map', atMs: startMs });
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
      runUnit(state, step, step.definition, item, index),
    );
  } catch (error) {
    recordFailure(state, { ...fields, items: items.length }, error);
    throw error;
  }
  const itemRecords = state.items.get(step.id) ?? [];
  const usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  let costUsd = 0;
  for (const record of itemRecords) {
    usage.inputTokens += record.usage.inputTokens;
    usage.cachedInputTokens += record.usage.cachedInputTokens;
    usage.outputTokens += record.usage.outputTokens;
    usage.reasoningTokens += record.usage.reasoningTokens;
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
  state.hub.emit('step:start', {
    runId: state.runId,
    stepId: step.id,
    kind,
    item,
    model,
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
    const entry = state.pool.get(model!);
    let firstTokenMs: number | undefined;
    const result = await guard(state, step, 'model-call', item, () =>
      callModel({
        definition,
        arg,
        entry,
        signal: state.controller.signal,
        onFirstToken: () => {
          firstTokenMs = elapsed(state);
          if (state.hub.has('step:first-token')) {
            state.hub.emit('step:first-token', {
              runId: state.runId,
              stepId: step.id,
              item,
              model: entry.id,
              atMs: firstTokenMs,
              timeToFirstTokenMs: firstTokenMs - startMs,
            });
          }
        },
      }),
    );
    recordStep(state, {
      stepId: step.id,
      kind,
      item,
      status: 'ok',
      model: entry.id,
      lane: planned?.lane,
      startMs,
      firstTokenMs,
      usage: result.usage,
      costUsd: computeCost(entry.profile.pricing, result.usage),
    });
    return result.output;
  } catch (error) {
    state.hub.emit('step:error', { runId: state.runId, stepId: step.id, item, model, error });
    recordFailure(
      state,
      { stepId: step.id, kind, item, model, lane: planned?.lane, startMs },
      error,
    );
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
    if (StepError.isInstance(error) || state.controller.signal.aborted) throw error;
    const model = reason === 'model-call' ? state.plan.step(step.id)?.model : undefined;
    throw new StepError({
      chain: state.chain.name,
      stepId: step.id,
      item,
      model,
      reason: reason === 'model-call' && isValidationError(error) ? 'output-validation' : reason,
      message: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

function isValidationError(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'AI_NoObjectGeneratedError' || name === 'AI_TypeValidationError';
}
