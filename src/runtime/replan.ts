import type { StepNode } from '../chain';
import { clockEpochMs } from '../clock';
import { recordStep as recordEstimate } from '../scheduler/estimate-store';
import type { Objective } from '../scheduler/plan';
import { replanChecked } from '../scheduler/replan-chain';
import { scaleSpeeds } from '../scheduler/speed-pool';
import type { StepRecord } from '../tracing/records';
import { mapConcurrency } from './map-concurrency';
import { effectiveFactors, measureSpeed } from './model-speed';
import { elapsed, type RunState } from './run-state';

/**
 * When the runtime plans again while a chain runs. `auto`: under a deadline or a budget, after a
 * step whose time or cost strayed from the plan (there is nothing to gain when it went as
 * predicted); `always`: after every step; `never`.
 */
export type ReplanMode = 'auto' | 'always' | 'never';

/** How far (share of the prediction) a step may stray before `auto` plans again. */
const tolerance = 0.1;
/** Drifts below these never trigger a re-plan. */
const minDriftMs = 100;
const minDriftUsd = 0.000_01;

/** A step started: the re-planner must treat it as fixed. */
export function markRunning(state: RunState, step: StepNode): void {
  state.progress.running.set(step.id, {
    startMs: elapsed(state),
    model: state.plan.step(step.id)?.model,
  });
}

/**
 * A step ended: feeds its measurement into the history and, when the mode says so, plans the
 * steps not yet started again against the time and money left.
 */
export function stepEnded(state: RunState, step: StepNode, record: StepRecord): void {
  const { progress } = state;
  progress.running.delete(step.id);
  progress.done.set(step.id, {
    startMs: record.startMs,
    endMs: record.endMs,
    model: record.model,
    costUsd: record.costUsd,
  });
  // The history holds one call; an agent's step is several, one after another.
  const calls = record.calls?.filter((span) => span.kind === 'model').length || 1;
  recordEstimate(state.history, {
    chain: state.chain.name,
    step,
    model: record.model,
    durationMs: record.durationMs / calls,
    inputTokens: record.usage.inputTokens,
    outputTokens: record.usage.outputTokens,
    cachedInputTokens: record.usage.cachedInputTokens,
    items: record.items ?? calls,
    concurrency: mapConcurrency(state, step, record.model),
  });
  const planned = state.plan.step(step.id);
  const measuredMs = ownDurationMs(state, record);
  if (
    record.model !== undefined &&
    record.model === planned?.model &&
    record.predicted &&
    measuredMs !== undefined
  ) {
    // The prediction already carries the factor the plan was made with: measure against the
    // profile, or the factor would drift back to 1 after every re-plan.
    const applied = state.plannedSpeed.get(record.model) ?? 1;
    measureSpeed(state.speed, record.model, measuredMs, record.predicted.durationMs / applied);
  }
  if (shouldReplan(state, record)) replan(state, step.id, record.endMs);
}

/**
 * How long the model itself took for a step: the call that answered, from its request to its end.
 * A wait the provider imposed (Retry-After), a failed attempt, a queue for a slot or a model given
 * up on is not the model's speed. A map's items run in waves: its whole duration, unless an item
 * was retried or fell back (then none).
 */
function ownDurationMs(state: RunState, record: StepRecord): number | undefined {
  if (record.callStartMs !== undefined) return record.endMs - record.callStartMs;
  if (record.items === undefined) return record.durationMs;
  const items = state.items.get(record.stepId) ?? [];
  const disturbed = items.some((item) => item.attempt > 1 || item.fallbacks !== undefined);
  return disturbed ? undefined : record.durationMs;
}

function shouldReplan(state: RunState, record: StepRecord): boolean {
  if (state.replan === 'never' || state.progress.done.size === state.chain.steps.length)
    return false;
  if (state.replan === 'always') return true;
  if (!isConstrained(state.plan.objective)) return false;
  const predicted = record.predicted;
  if (predicted === undefined) return true;
  // Relative, with a floor: a step predicted to take 0.1 ms has not strayed by taking 0.2 ms.
  const strayed = (actual: number, expected: number, floor: number) =>
    Math.abs(actual - expected) > Math.max(tolerance * expected, floor);
  return (
    strayed(record.durationMs, predicted.durationMs, minDriftMs) ||
    strayed(record.costUsd, predicted.costUsd, minDriftUsd)
  );
}

function isConstrained(objective: Objective): boolean {
  return typeof objective === 'object';
}

function replan(state: RunState, after: string, atMs: number): void {
  const speed = effectiveFactors(state.speed, state.plannedSpeed);
  state.plannedSpeed = speed;
  // Scaled from the run's pool: the re-plan predicts again only the steps on models whose
  // factor moved since the last plan (by more than measurements wobble).
  const { plan, changes } = replanChecked({
    chain: state.chain,
    pool: scaleSpeeds(state.pool, speed),
    input: state.input,
    history: state.history,
    previous: state.plan,
    progress: { nowMs: atMs, done: state.progress.done, running: state.progress.running },
    startAt: chainStartEpoch(state),
  });
  state.plan = plan;
  state.hub.emit('replan', { runId: state.runId, atMs, after, changes, plan });
}

/** The calendar instant of the run's time 0, when the clock has a calendar. */
function chainStartEpoch(state: RunState): number | undefined {
  const epoch = clockEpochMs(state.clock);
  return epoch === undefined ? undefined : epoch - elapsed(state);
}
