import type { ChainDefinition } from '../chain';
import { addUsage, emptyUsage } from '../models/cost';
import type { ModelPool } from '../models/pool';
import type { Plan } from '../scheduler/plan';
import type { RunTrace, StepRecord, TraceWarning } from './records';
import { computeBaselines } from './totals/baselines';
import { modelCallsOf } from './totals/model-calls';
import { computeModelTotals } from './totals/model-totals';
import { callRecords } from './totals/units';

/** What a run leaves behind, from which its trace is built. */
export interface TraceInput {
  readonly runId: string;
  readonly chain: ChainDefinition;
  readonly status: 'ok' | 'error';
  readonly startedAt: number;
  readonly durationMs: number;
  readonly plan: Plan;
  /** Step records in the order they ended (map steps once, their items in `items`). */
  readonly records: readonly StepRecord[];
  readonly items: ReadonlyMap<string, readonly StepRecord[]>;
  readonly warnings: readonly TraceWarning[];
  /** The pool the run used: prices for the baselines. Without it, `baselines` is left out. */
  readonly pool?: ModelPool;
  /** The chain input: sizes the scheduler's estimates that pick the baselines' models. */
  readonly input?: unknown;
  /** The step a streamed run streamed as its answer. */
  readonly answerStep?: string;
  /** How long the run waited for cheaper prices before its first step. */
  readonly deferredMs?: number;
  /** The model the run's tokens are also priced on. @default 'claude-haiku-4-5' */
  readonly referenceModel?: string;
}

/**
 * The run's trace from its records: totals, the measured critical path, the time waited on each
 * model, the plan's figures, and the same tokens priced on the baselines.
 */
export function buildTrace(input: TraceInput): RunTrace {
  const usage = emptyUsage();
  let costUsd = 0;
  let calls = 0;
  let usageEstimated = false;
  for (const record of input.records) {
    addUsage(usage, record.usage);
    costUsd += record.costUsd;
    if (record.kind === 'llm') calls += modelCallsOf(record);
    if (record.usageEstimated) usageEstimated = true;
  }
  for (const [stepId, list] of input.items) {
    const step = input.chain.steps.find((node) => node.id === stepId);
    if (step?.definition.kind !== 'llm') continue;
    for (const item of list) calls += modelCallsOf(item);
  }
  const units = callRecords(input.records, input.items);
  return {
    runId: input.runId,
    chain: input.chain.name,
    status: input.status,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    ...(input.deferredMs === undefined ? {} : { deferredMs: input.deferredMs }),
    costUsd,
    usage,
    ...(usageEstimated && { usageEstimated }),
    calls,
    steps: input.records,
    items: Object.fromEntries(input.items),
    criticalPath: measuredCriticalPath(input.chain, input.records),
    plan: {
      objective: input.plan.objective,
      durationMs: input.plan.durationMs,
      costUsd: input.plan.costUsd,
    },
    warnings: input.warnings,
    models: computeModelTotals(units),
    baselines: input.pool && computeBaselines({ ...input, pool: input.pool }, units),
    ...(input.answerStep === undefined
      ? {}
      : { answer: answerOf(input.answerStep, input.records) }),
  };
}

function answerOf(stepId: string, records: readonly StepRecord[]): RunTrace['answer'] {
  const record = records.find((candidate) => candidate.stepId === stepId);
  const ttft = record?.timeToFirstTokenMs;
  return { stepId, firstTokenMs: ttft === undefined ? undefined : record!.startMs + ttft };
}

/** From the step that ended last, back through the need that ended last, to the first step. */
function measuredCriticalPath(chain: ChainDefinition, records: readonly StepRecord[]): string[] {
  const ends = new Map(records.map((record) => [record.stepId, record.endMs]));
  const byId = new Map(chain.steps.map((step) => [step.id, step]));
  // Of steps ending together, the one recorded last: it waited for the others (a zero-time step).
  let current = [...ends].reduce<[string, number] | undefined>(
    (last, entry) => (last === undefined || entry[1] >= last[1] ? entry : last),
    undefined,
  )?.[0];
  const path: string[] = [];
  while (current !== undefined) {
    path.unshift(current);
    const needs = byId.get(current)?.needs ?? [];
    current = needs.filter((need) => ends.has(need)).sort((a, b) => ends.get(b)! - ends.get(a)!)[0];
  }
  return path;
}
