import type { StepDefinition, StepNode } from '../chain';
import { emptyUsage, sameUsage } from '../models/cost';
import type { Tally } from './attempt-call';
import { type ResolvedPrompt, resolvePrompt } from './call-model';
import { runJournaled } from './journaled-unit';
import { callWithResilience } from './resilient-call';
import { elapsed, type RunState, recordStep } from './run-state';
import { guard, guardSync, recordFailure } from './step-guard';

/** Runs a step, or one item of a map, and records it; a durable run reads it back if it can. */
export function runUnit(
  state: RunState,
  step: StepNode,
  definition: StepDefinition,
  arg: unknown,
  item?: number,
): Promise<unknown> {
  return state.journal === undefined
    ? callUnit(state, step, definition, arg, item)
    : runJournaled(state, step, definition, arg, item, callUnit);
}

async function callUnit(
  state: RunState,
  step: StepNode,
  definition: StepDefinition,
  arg: unknown,
  item?: number,
  resolved?: ResolvedPrompt,
): Promise<unknown> {
  state.controller.signal.throwIfAborted();
  const planned = state.plan.step(step.id);
  const startMs = elapsed(state);
  const kind = definition.kind;
  const model = kind === 'llm' ? planned?.model : undefined;
  const tally: Tally = { usage: emptyUsage(), costUsd: 0 };
  const prompt =
    definition.kind === 'llm'
      ? (resolved ?? guardSync(state, step, 'function', item, () => resolvePrompt(definition, arg)))
      : undefined;
  // The payload is built only for a listener: most runs have none for this event.
  if (state.hub.has('step:start'))
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
      // Inside the exporters' context, as a model call is: the user's own spans nest under the step.
      const output = await guard(state, step, 'function', item, () =>
        state.bindCall({ runId: state.runId, stepId: step.id, item }, () =>
          definition.run(arg, { signal: state.controller.signal }),
        ),
      );
      recordStep(state, { stepId: step.id, kind, item, status: 'ok', startMs });
      return output;
    }
    const result = await guard(state, step, 'model-call', item, () =>
      callWithResilience({ state, step, definition, prompt: prompt!, item, startMs, tally }),
    );
    recordStep(state, {
      stepId: step.id,
      kind,
      item,
      status: 'ok',
      model: result.model,
      ...(result.endpoint !== undefined && {
        endpoint: result.endpoint,
        roundTripMs: result.roundTripMs,
      }),
      lane: result.model === planned?.model ? planned?.lane : undefined,
      startMs,
      firstTokenMs: result.firstTokenMs,
      callStartMs: result.calledAtMs,
      firstChunkTokens: result.firstChunkTokens,
      usage: result.usage,
      ...(!sameUsage(result.callUsage, result.usage) && { callUsage: result.callUsage }),
      costUsd: result.costUsd,
      attempt: result.attempts,
      queueWaitMs: result.queueWaitMs,
      retries: result.retries,
      fallbacks: result.fallbacks.length > 0 ? result.fallbacks : undefined,
      hedge: result.hedge,
      plannedModel: result.model === planned?.model ? undefined : planned?.model,
      provider: state.pool.get(result.model).profile.provider,
      calls: result.spans,
      byModel: tally.byModel && Object.fromEntries(tally.byModel),
      ...(item === undefined && state.held?.has(step.id) && { deferred: state.held.get(step.id) }),
      ...(tally.estimated && { usageEstimated: true as const }),
    });
    return result.output;
  } catch (error) {
    state.hub.emit('step:error', { runId: state.runId, stepId: step.id, item, model, error });
    const { usage, costUsd } = tally;
    // The model and attempt that failed last, not the plan's: a fallback may have failed too.
    const lastModel = tally.lastModel ?? model;
    const failed = {
      stepId: step.id,
      kind,
      item,
      model: lastModel,
      lane: lastModel === planned?.model ? planned?.lane : undefined,
      attempt: tally.attempts,
      startMs,
      usage,
      costUsd,
      plannedModel: lastModel === model ? undefined : model,
      byModel: tally.byModel && Object.fromEntries(tally.byModel),
      ...(item === undefined && state.held?.has(step.id) && { deferred: state.held.get(step.id) }),
      ...(tally.estimated && { usageEstimated: true as const }),
      ...(tally.lastFailure && { failure: tally.lastFailure }),
    };
    recordFailure(state, failed, error);
    throw error;
  }
}
