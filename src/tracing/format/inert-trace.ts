import type { StepRecord } from '../records';
import { inert } from './text';
import type { DrawnTrace } from './waterfall-parts';

/**
 * The trace with every string a waterfall draws made {@link inert}: ids, models, endpoints,
 * errors and warnings can come from a trace log anyone wrote, or from a provider's error text.
 */
export function inertTrace<T extends DrawnTrace>(trace: T): T {
  const drawn: DrawnTrace = {
    ...trace,
    chain: inert(trace.chain),
    steps: trace.steps.map(inertRecord),
    items: Object.fromEntries(
      Object.entries(trace.items).map(([stepId, items]) => [inert(stepId), items.map(inertRecord)]),
    ),
    criticalPath: trace.criticalPath.map(inert),
    warnings: trace.warnings.map((warning) => ({
      source: inert(warning.source),
      message: inert(warning.message),
    })),
    ...(trace.models && {
      models: Object.fromEntries(
        Object.entries(trace.models).map(([model, totals]) => [inert(model), totals]),
      ),
    }),
    ...(trace.baselines?.reference && {
      baselines: {
        ...trace.baselines,
        reference: {
          ...trace.baselines.reference,
          model: inert(trace.baselines.reference.model),
        },
      },
    }),
    ...(trace.error && {
      error: { type: inert(trace.error.type), message: inert(trace.error.message) },
    }),
    ...('partialSteps' in trace && { partialSteps: trace.partialSteps.map(inert) }),
  } as DrawnTrace;
  return drawn as T;
}

function inertRecord(record: StepRecord): StepRecord {
  const text = (value: string | undefined) => (value === undefined ? undefined : inert(value));
  return {
    ...record,
    stepId: inert(record.stepId),
    ...(record.model !== undefined && { model: inert(record.model) }),
    ...(record.endpoint !== undefined && { endpoint: inert(record.endpoint) }),
    // A lane read from a log is any string; the table prints it.
    ...(record.lane !== undefined && { lane: inert(record.lane) as StepRecord['lane'] }),
    ...(record.error !== undefined && { error: inert(record.error) }),
    ...(record.fallbacks && { fallbacks: record.fallbacks.map(inert) }),
    ...(record.hedge && {
      hedge: {
        ...record.hedge,
        model: inert(record.hedge.model),
        endpoint: text(record.hedge.endpoint),
      },
    }),
  };
}
