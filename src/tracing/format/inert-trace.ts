import { mapTraceStrings } from './map-trace-strings';
import { inert } from './text';
import type { DrawnTrace } from './waterfall-parts';

/**
 * The trace with every string a waterfall draws made {@link inert}: ids, models, endpoints,
 * errors and warnings can come from a trace log anyone wrote, or from a provider's error text.
 */
export function inertTrace<T extends DrawnTrace>(trace: T): T {
  return mapTraceStrings(trace, inert);
}
