import { mapTraceStrings } from '../format/map-trace-strings';
import type { RunTrace } from '../records';

/**
 * The trace with its free text masked: step and item errors, the run's error, warnings. Ids are
 * left as they are (a step may well be named `sk-learn-classifier`), and the raw text is masked
 * before it is escaped, so a secret holding `&`, `<` or a quote is still found.
 */
export function maskTrace(trace: RunTrace, mask: (text: string) => string): RunTrace {
  return mapTraceStrings(trace, (value, kind) => (kind === 'text' ? mask(String(value)) : value));
}
