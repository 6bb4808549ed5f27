import type { Plan, PlannedStep } from '../../scheduler/plan';
import type { HotpathEventName, PlanEvent, ReplanEvent } from '../events';
import type { RunTrace } from '../records';

/** How a trace log writes payloads. */
export interface LoggableOptions {
  /**
   * The log wrote every `step:end` of the run: its `chain:end` line then leaves out the trace's
   * `steps` and `items`, which are those records again (readers put them back from those lines).
   */
  readonly recordsInLines: boolean;
}

/**
 * What a trace log writes of an event's payload: the payload itself, except for plans and the
 * run's end.
 *
 * - A `plan` line holds what the plan decided and predicted: each step's model, lane,
 *   prediction, slack and state, the totals, critical path and warnings. What a plan works out
 *   only when it is read (accessors: today its sampled `durationPercentiles`, `frontier` and
 *   `baselines`, and the reasons that weigh a step's time against its slack) is left out, so
 *   writing the log never runs it (about 20 ms of CPU for 1,000 steps): `plan.explain()` and
 *   `hotpath plan` give it.
 * - A `replan` line holds what changed and the new totals, not the whole plan: a long chain
 *   re-planned after every step would otherwise write the plan once per step.
 * - A `chain:end` line leaves out the step records when the `step:end` lines hold them.
 */
export function loggablePayload(
  event: HotpathEventName,
  payload: unknown,
  options: LoggableOptions,
): unknown {
  if (event === 'plan') {
    const { plan, ...rest } = payload as PlanEvent;
    return { ...rest, plan: loggablePlan(plan) };
  }
  if (event === 'replan') {
    const { plan, ...rest } = payload as ReplanEvent;
    return { ...rest, plan: { durationMs: plan.durationMs, costUsd: plan.costUsd } };
  }
  if (event === 'chain:end' && options.recordsInLines) {
    const { steps: _steps, items: _items, ...rest } = payload as RunTrace;
    return rest;
  }
  return payload;
}

/** The plan's own data: its accessors (parts worked out on first read) and methods left out. */
function loggablePlan(plan: Plan): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = Object.getOwnPropertyDescriptors(plan) as Record<string, PropertyDescriptor>;
  for (const key in fields) {
    const field = fields[key]!;
    if (!field.enumerable || !('value' in field) || typeof field.value === 'function') continue;
    out[key] = key === 'steps' ? plan.steps.map(loggableStep) : field.value;
  }
  return out;
}

/**
 * A planned step's fields, its reason only when it is already words: a reason that weighs the
 * step's time against its slack is worked out on first read (an accessor), for the whole plan.
 */
function loggableStep(step: PlannedStep): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(step)) {
    if (key === 'reason' && Object.getOwnPropertyDescriptor(step, key)?.get !== undefined) continue;
    out[key] = (step as unknown as Record<string, unknown>)[key];
  }
  return out;
}
