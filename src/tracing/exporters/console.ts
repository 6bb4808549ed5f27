import type { EventSource } from '../event-hub';
import { formatTrace } from '../format-trace';

/** Something that listens to a runtime's events and reports them somewhere. */
export interface TraceExporter {
  readonly name: string;
  /** Subscribes to `events`; returns a function that unsubscribes. */
  attach(events: EventSource): () => void;
}

/** Options of {@link consoleExporter}. */
export interface ConsoleExporterOptions {
  /** Where lines go. @default console.log */
  write?: (text: string) => void;
}

/**
 * Prints each run's summary when it ends: the per-step table, the critical path and the plan's
 * prediction beside what happened.
 */
export function consoleExporter(options: ConsoleExporterOptions = {}): TraceExporter {
  const write = options.write ?? ((text: string) => console.log(text));
  return {
    name: 'console',
    attach: (events) => events.on('chain:end', (trace) => write(formatTrace(trace))),
  };
}
