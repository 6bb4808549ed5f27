import type { RunTrace, StepRecord } from '../records';

/**
 * The trace with its free text masked: step and item errors, the run's error, warnings. Ids are
 * left as they are (a step may well be named `sk-learn-classifier`), and the raw text is masked
 * before it is escaped, so a secret holding `&`, `<` or a quote is still found.
 */
export function maskTrace(trace: RunTrace, mask: (text: string) => string): RunTrace {
  const unit = (record: StepRecord): StepRecord =>
    record.error === undefined ? record : { ...record, error: mask(String(record.error)) };
  return {
    ...trace,
    steps: trace.steps.map(unit),
    items: Object.fromEntries(
      Object.entries(trace.items).map(([stepId, items]) => [stepId, items.map(unit)]),
    ),
    warnings: trace.warnings.map((warning) => ({
      ...warning,
      message: mask(String(warning.message)),
    })),
    ...(trace.error && {
      error: { ...trace.error, message: mask(String(trace.error.message)) },
    }),
  };
}
