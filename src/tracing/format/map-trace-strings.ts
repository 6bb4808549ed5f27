import type { StepRecord } from '../records';
import type { DrawnTrace } from './waterfall-parts';

/**
 * What a string of a trace is: an `id` (of a run's chain, step, model, endpoint, lane, warning
 * source or error class) or free `text` (an error message, a warning) that can hold anything.
 */
export type TraceStringKind = 'id' | 'text';

/**
 * The trace with each string a report draws passed through `change` (which is told its kind):
 * ids, models, endpoints, lanes, errors and warnings, map items by their step's id, models by
 * theirs. What the waterfall makes inert and the HTML report masks, walked in one place.
 */
export function mapTraceStrings<T extends DrawnTrace>(
  trace: T,
  change: (value: string, kind: TraceStringKind) => string,
): T {
  const id = (value: string) => change(value, 'id');
  const record = (unit: StepRecord): StepRecord => ({
    ...unit,
    stepId: id(unit.stepId),
    ...(unit.model !== undefined && { model: id(unit.model) }),
    ...(unit.endpoint !== undefined && { endpoint: id(unit.endpoint) }),
    // A lane read from a log is any string; the tables print it.
    ...(unit.lane !== undefined && { lane: id(unit.lane) as StepRecord['lane'] }),
    ...(unit.error !== undefined && { error: change(unit.error, 'text') }),
    ...(unit.fallbacks && { fallbacks: unit.fallbacks.map(id) }),
    ...(unit.hedge && {
      hedge: {
        ...unit.hedge,
        model: id(unit.hedge.model),
        endpoint: unit.hedge.endpoint === undefined ? undefined : id(unit.hedge.endpoint),
      },
    }),
  });
  const drawn: DrawnTrace = {
    ...trace,
    chain: id(trace.chain),
    steps: trace.steps.map(record),
    items: Object.fromEntries(
      Object.entries(trace.items).map(([stepId, items]) => [id(stepId), items.map(record)]),
    ),
    criticalPath: trace.criticalPath.map(id),
    warnings: trace.warnings.map((warning) => ({
      ...warning,
      source: id(warning.source),
      message: change(warning.message, 'text'),
    })),
    ...(trace.models && {
      models: Object.fromEntries(
        Object.entries(trace.models).map(([model, totals]) => [id(model), totals]),
      ),
    }),
    ...(trace.baselines?.reference && {
      baselines: {
        ...trace.baselines,
        reference: { ...trace.baselines.reference, model: id(trace.baselines.reference.model) },
      },
    }),
    ...(trace.error && {
      error: {
        ...trace.error,
        type: id(trace.error.type),
        message: change(trace.error.message, 'text'),
      },
    }),
    ...('partialSteps' in trace && { partialSteps: trace.partialSteps.map(id) }),
  } as DrawnTrace;
  return drawn as T;
}
