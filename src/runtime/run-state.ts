import type { ChainDefinition, Lane, StepKind } from '../chain';
import type { Clock } from '../clock';
import { addUsage, emptyUsage, type TokenUsage } from '../models/cost';
import type { ModelPool } from '../models/pool';
import type { Plan } from '../scheduler/plan';
import type { EventHub } from '../tracing/event-hub';
import type { RunTrace, StepRecord, TraceWarning } from '../tracing/records';

/** Everything one run shares between its steps. */
export interface RunState {
  readonly runId: string;
  readonly chain: ChainDefinition;
  readonly plan: Plan;
  readonly pool: ModelPool;
  readonly clock: Clock;
  readonly hub: EventHub;
  /** Aborted when the caller cancels or a step fails: every call and pending step stops. */
  readonly controller: AbortController;
  /** The run's origin on the clock; record times are relative to it. */
  readonly originMs: number;
  readonly startedAt: number;
  readonly input: unknown;
  readonly outputs: Map<string, unknown>;
  readonly records: StepRecord[];
  readonly items: Map<string, StepRecord[]>;
  readonly warnings: TraceWarning[];
}

/** Milliseconds since the run started. */
export function elapsed(state: RunState): number {
  return state.clock.now() - state.originMs;
}

/** Builds a step record with the plan's prediction beside it and reports it. */
export function recordStep(
  state: RunState,
  fields: {
    stepId: string;
    kind: StepKind;
    item?: number;
    status: 'ok' | 'error';
    model?: string;
    lane?: Lane;
    startMs: number;
    firstTokenMs?: number;
    usage?: TokenUsage;
    costUsd?: number;
    items?: number;
    error?: string;
  },
): StepRecord {
  const endMs = elapsed(state);
  const planned = fields.item === undefined ? state.plan.step(fields.stepId) : undefined;
  const record: StepRecord = {
    runId: state.runId,
    attempt: 1,
    ...fields,
    endMs,
    durationMs: endMs - fields.startMs,
    timeToFirstTokenMs:
      fields.firstTokenMs === undefined ? undefined : fields.firstTokenMs - fields.startMs,
    decodeMs: fields.firstTokenMs === undefined ? undefined : endMs - fields.firstTokenMs,
    usage: fields.usage ?? emptyUsage(),
    costUsd: fields.costUsd ?? 0,
    predicted: planned && {
      durationMs: planned.predicted.durationMs,
      costUsd: planned.predicted.costUsd,
    },
  };
  if (fields.item === undefined) state.records.push(record);
  else {
    const list = state.items.get(fields.stepId) ?? [];
    list.push(record);
    state.items.set(fields.stepId, list);
  }
  state.hub.emit('step:end', record);
  return record;
}

/** The run's trace from its records: totals, the measured critical path, the plan's figures. */
export function buildTrace(state: RunState, status: 'ok' | 'error'): RunTrace {
  const usage = emptyUsage();
  let costUsd = 0;
  let calls = 0;
  for (const record of state.records) {
    addUsage(usage, record.usage);
    costUsd += record.costUsd;
    if (record.kind === 'llm') calls += 1;
  }
  for (const [stepId, list] of state.items) {
    const step = state.chain.steps.find((node) => node.id === stepId);
    if (step?.definition.kind === 'llm') calls += list.length;
  }
  return {
    runId: state.runId,
    chain: state.chain.name,
    status,
    startedAt: state.startedAt,
    wallMs: elapsed(state),
    costUsd,
    usage,
    calls,
    steps: state.records,
    items: Object.fromEntries(state.items),
    criticalPath: measuredCriticalPath(state),
    plan: {
      objective: state.plan.objective,
      makespanMs: state.plan.makespanMs,
      costUsd: state.plan.costUsd,
    },
    warnings: state.warnings,
  };
}

/** From the step that ended last, back through the need that ended last, to the first step. */
function measuredCriticalPath(state: RunState): string[] {
  const ends = new Map(state.records.map((record) => [record.stepId, record.endMs]));
  const byId = new Map(state.chain.steps.map((step) => [step.id, step]));
  let current = [...ends].sort((a, b) => b[1] - a[1])[0]?.[0];
  const path: string[] = [];
  while (current !== undefined) {
    path.unshift(current);
    const needs = byId.get(current)?.needs ?? [];
    current = needs.filter((need) => ends.has(need)).sort((a, b) => ends.get(b)! - ends.get(a)!)[0];
  }
  return path;
}
