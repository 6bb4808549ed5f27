import type { StepNode } from '../chain';
import { holdItems } from './item-hold';
import { journalStepDone } from './journal-step';
import { runPipelinedMap } from './pipeline';
import { markRunning, stepEnded } from './replan';
import { runMap } from './run-map';
import type { RunState } from './run-state';
import { runUnit } from './run-unit';

/** Runs one step of the chain with the outputs of what it needs; stores its output. */
export async function runStep(state: RunState, step: StepNode): Promise<void> {
  state.controller.signal.throwIfAborted();
  const context = step.readsAll ? state.context : contextOf(state, step);
  // A step the plan holds for a cheaper price window waits before it counts as running.
  if (step.kind !== 'map') {
    const hold = holdItems(state, step, state.plan.step(step.id), 1);
    const wait = hold?.before(0);
    if (wait) {
      await wait;
      state.held ??= new Map();
      state.held.set(step.id, hold!.summary());
    }
  }
  markRunning(state, step);
  const output =
    step.kind !== 'map'
      ? await runUnit(state, step, step.definition, context)
      : step.pipeline
        ? await runPipelinedMap(state, step, context)
        : await runMap(state, step, context);
  state.outputs.set(step.id, output);
  state.context[step.id] = output;
  // A durable run journals the step before its dependents start; a replayed step is not measured.
  const measure = state.journal === undefined || (await journalStepDone(state, step));
  const record = state.records[state.records.length - 1];
  if (measure && record?.stepId === step.id) stepEnded(state, step, record);
}

/** The input and the outputs of what a step declared it needs. */
function contextOf(state: RunState, step: StepNode): Record<string, unknown> {
  const context: Record<string, unknown> = { input: state.input };
  for (const need of step.needs) context[need] = state.outputs.get(need);
  return context;
}
